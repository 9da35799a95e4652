-- Staff correct what the machine read (issue 13): a correction per field (the latest wins),
-- kept apart from the machine's record (`machine_json`, NULL while nothing is corrected:
-- `metadata_json` is then the machine's record) so that a new extraction refreshes only the
-- fields no one corrected; every change of a letter with who and when; notes on a letter,
-- whose text (`notes_text`) the index takes with the letter's.
ALTER TABLE documents ADD COLUMN machine_json TEXT;
ALTER TABLE documents ADD COLUMN notes_text TEXT;
CREATE TABLE corrections (
    document_id TEXT NOT NULL REFERENCES documents (id),
    field TEXT NOT NULL,
    value_json TEXT NOT NULL,
    actor TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (document_id, field)
);
CREATE TABLE document_history (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents (id),
    field TEXT NOT NULL,
    old_json TEXT,
    new_json TEXT,
    actor TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX document_history_document ON document_history (document_id, at);
CREATE TABLE notes (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents (id),
    text TEXT NOT NULL,
    actor TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX notes_document ON notes (document_id, at);
