-- A letter's text stored once (issue 15): a letter took 34–36 KB of catalog, its text three
-- times over (documents.text, metadata_json's "text", pages.text) and its tasks' texts a fourth.
-- A letter archived from now on keeps its text in `text_z` (zlib) and its record without the
-- text in `metadata_z`, its pages' texts in `pages.text_z` (zlib with the letter's text as the
-- preset dictionary: see ingest/store/packing.py); the old columns hold '' for it (they are NOT
-- NULL), its tasks rows no text (the record has the tasks). Letters archived before keep their
-- plain columns (NULL in the new ones) and read as they always did.
ALTER TABLE documents ADD COLUMN text_z BLOB;
ALTER TABLE documents ADD COLUMN metadata_z BLOB;
ALTER TABLE pages ADD COLUMN text_z BLOB;
