-- Tasks tracked to their deadline (issue 16). `tasks.deadlines_json`: a task's deadlines with
-- their forms (the record's `deadlines`; NULL for letters archived before, whose `deadline` day
-- stands). `task_status`: what staff said of a task, done or open again, with who, when and a
-- note; a task is named by its letter and a key of its text (ingest/curation/task_tracking.py),
-- so its status follows it when a correction moves it in the letter's list.
ALTER TABLE tasks ADD COLUMN deadlines_json TEXT;
CREATE TABLE task_status (
    document_id TEXT NOT NULL REFERENCES documents (id),
    task_key TEXT NOT NULL,
    status TEXT NOT NULL,
    note TEXT,
    actor TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (document_id, task_key)
);
