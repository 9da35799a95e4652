-- The registers of letters received and sent (sổ đăng ký văn bản đến / đi, Decree 30/2020,
-- Appendix IV), one entry per registered letter: its direction ('den' incoming, 'di'
-- outgoing), the office and year whose register holds it; an incoming letter's arrival number
-- (số đến, counted per office and year from 1: the unique index never lets two letters share
-- one), its arrival date and the unit or person it was passed to; an outgoing letter's date
-- sent and the unit that keeps its file copy. Who registered it and who changed it last.
CREATE TABLE register_entries (
    document_id TEXT PRIMARY KEY REFERENCES documents (id),
    direction TEXT NOT NULL,
    office TEXT NOT NULL,
    year INTEGER NOT NULL,
    arrival_number INTEGER,
    entry_date TEXT,
    unit TEXT,
    note TEXT,
    registered_by TEXT NOT NULL,
    registered_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX register_arrival_numbers ON register_entries (office, year, arrival_number);
CREATE INDEX register_entries_year ON register_entries (direction, office, year);
