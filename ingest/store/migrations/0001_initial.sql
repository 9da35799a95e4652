-- Letters with their files, pages, recipients, distribution, tasks and citations; the ingest log.
CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    filename TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    page_count INTEGER NOT NULL,
    ocr_pages INTEGER NOT NULL,
    text TEXT NOT NULL,
    doc_type TEXT,
    reference TEXT,
    number TEXT,
    symbol TEXT,
    ref_key TEXT,
    issuer TEXT,
    parent_issuer TEXT,
    place TEXT,
    issued_date TEXT,
    date_precision TEXT,
    subject TEXT,
    signer_name TEXT,
    signer_title TEXT,
    urgency TEXT,
    secrecy TEXT,
    metadata_json TEXT NOT NULL,
    extractor_version INTEGER NOT NULL
);
CREATE INDEX documents_ref_key ON documents (ref_key);
CREATE TABLE files (
    sha256 TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents (id),
    original_name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    stored_at TEXT NOT NULL
);
CREATE INDEX files_document ON files (document_id);
CREATE TABLE pages (
    document_id TEXT NOT NULL REFERENCES documents (id),
    page_no INTEGER NOT NULL,
    text TEXT NOT NULL,
    ocr BOOLEAN NOT NULL,
    ocr_confidence REAL,
    PRIMARY KEY (document_id, page_no)
);
CREATE TABLE recipients (
    document_id TEXT NOT NULL REFERENCES documents (id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (document_id, position)
);
CREATE TABLE distribution (
    document_id TEXT NOT NULL REFERENCES documents (id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (document_id, position)
);
CREATE TABLE tasks (
    document_id TEXT NOT NULL REFERENCES documents (id),
    position INTEGER NOT NULL,
    label TEXT,
    text TEXT NOT NULL,
    deadline TEXT,
    PRIMARY KEY (document_id, position)
);
CREATE TABLE task_assignees (
    document_id TEXT NOT NULL REFERENCES documents (id),
    task_position INTEGER NOT NULL,
    position INTEGER NOT NULL,
    assignee TEXT NOT NULL,
    PRIMARY KEY (document_id, task_position, position)
);
CREATE INDEX task_assignees_name ON task_assignees (assignee);
CREATE TABLE citations (
    document_id TEXT NOT NULL REFERENCES documents (id),
    position INTEGER NOT NULL,
    cited_key TEXT NOT NULL,
    reference TEXT NOT NULL,
    doc_type TEXT,
    cited_date TEXT,
    issuer TEXT,
    PRIMARY KEY (document_id, position)
);
CREATE INDEX citations_key ON citations (cited_key);
CREATE TABLE ingest_log (
    id TEXT PRIMARY KEY,
    batch_id TEXT NOT NULL,
    logged_at TEXT NOT NULL,
    username TEXT NOT NULL,
    host TEXT NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT,
    outcome TEXT NOT NULL,
    reason TEXT,
    error TEXT,
    document_id TEXT,
    seconds REAL
);
CREATE INDEX ingest_log_sha256 ON ingest_log (sha256);
