-- Accounts of the staff who may upload letters (Argon2 hashes).
CREATE TABLE users (
    username TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
);
