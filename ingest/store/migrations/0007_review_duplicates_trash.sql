-- The review queue, possible duplicates, versions and the trash (issue 13). A letter's last
-- review (who, when, and a digest of the text reviewed, so that a new extraction of the same
-- text does not flag it again); `flag_changed_at`: when the review flag last changed after
-- ingest (NULL until then), which the index's stamp takes so that every index catches up;
-- a letter moved to the trash keeps its rows until it is purged (`deleted_at`, `deleted_by`).
ALTER TABLE documents ADD COLUMN reviewed_by TEXT;
ALTER TABLE documents ADD COLUMN reviewed_at TEXT;
ALTER TABLE documents ADD COLUMN reviewed_text_hash TEXT;
ALTER TABLE documents ADD COLUMN flag_changed_at TEXT;
ALTER TABLE documents ADD COLUMN deleted_at TEXT;
ALTER TABLE documents ADD COLUMN deleted_by TEXT;
CREATE INDEX documents_review ON documents (needs_review, ingested_at);
CREATE INDEX documents_deleted ON documents (deleted_at);
-- A MinHash signature of each letter's text, and its LSH band buckets, so that a new letter's
-- near-duplicates are found by a lookup, without reading the texts of the archive again.
CREATE TABLE text_signatures (
    document_id TEXT PRIMARY KEY REFERENCES documents (id),
    minhash TEXT NOT NULL
);
CREATE TABLE text_bands (
    document_id TEXT NOT NULL REFERENCES documents (id),
    band INTEGER NOT NULL,
    bucket TEXT NOT NULL,
    PRIMARY KEY (document_id, band)
);
CREATE INDEX text_bands_bucket ON text_bands (band, bucket);
-- A letter flagged at ingest as a possible duplicate of an archived one, and why
-- (same-reference: number, symbol and issuer; similar-text: its MinHash estimate).
CREATE TABLE possible_duplicates (
    document_id TEXT NOT NULL REFERENCES documents (id),
    other_id TEXT NOT NULL REFERENCES documents (id),
    reason TEXT NOT NULL,
    similarity REAL,
    found_at TEXT NOT NULL,
    PRIMARY KEY (document_id, other_id)
);
CREATE INDEX possible_duplicates_other ON possible_duplicates (other_id);
-- Letters a clerk linked as versions of one letter (position 0: the issued one).
CREATE TABLE document_versions (
    document_id TEXT PRIMARY KEY REFERENCES documents (id),
    group_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    linked_by TEXT NOT NULL,
    linked_at TEXT NOT NULL
);
CREATE INDEX document_versions_group ON document_versions (group_id, position);
