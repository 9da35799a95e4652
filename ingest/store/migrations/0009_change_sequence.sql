-- The change sequence (issue 14), which search nodes follow: every write that changes what a
-- search index shows of a letter (archived, a new extraction, a correction, a note, its review
-- flag, the trash, a restore, a purge) gives the letter the next number, MAX(seq) + 1 under
-- the catalog's write lock. One row per letter, its latest change: a follower needs only that
-- (it reads the letter as it is now), so the table grows with the letters, not with the edits.
-- A purged letter keeps its row (kind 'purged') so that followers drop it from their index.
-- Letters archived before this migration have no row: a new index is built from the catalog.
CREATE TABLE changes (
    document_id TEXT PRIMARY KEY,
    seq BIGINT NOT NULL,
    kind TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE UNIQUE INDEX changes_seq ON changes (seq);
