-- Letters kept although they do not look like a letter or have few fields (issue 10); warnings
-- of an ingest (bytes replaced ...); server-side sessions that logout and an admin can end;
-- failed logins remembered across processes and restarts, per address and account.
ALTER TABLE documents ADD COLUMN needs_review BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE ingest_log ADD COLUMN warnings TEXT;
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    username TEXT NOT NULL,
    address TEXT,
    created_at REAL NOT NULL,
    last_seen REAL NOT NULL,
    expires_at REAL NOT NULL
);
CREATE INDEX sessions_username ON sessions (username);
CREATE TABLE login_failures (
    address TEXT NOT NULL,
    username TEXT NOT NULL,
    failed_at REAL NOT NULL
);
CREATE INDEX login_failures_address ON login_failures (address, failed_at);
CREATE INDEX login_failures_username ON login_failures (username, failed_at);
