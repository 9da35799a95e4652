-- A task's text as read when its diacritics were restored by the model (issue 10), so the task
-- lists can mark the restored text and show what was read; the latest letters first.
ALTER TABLE tasks ADD COLUMN text_as_read TEXT;
CREATE INDEX documents_ingested ON documents (ingested_at);
