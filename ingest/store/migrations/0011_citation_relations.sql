-- How a letter relates to each document it cites (issue 16): `relation` a code of
-- ingest.extract.relations.RELATIONS ('can_cu', 'thay_the', 'bai_bo', 'sua_doi', 'tra_loi' …) and
-- `scope` the part it touches when written ('khoản 2 Điều 8'). Rows written before are NULL:
-- read as plain references until `congvan reextract` reads their letters again (the extractor's
-- version went up with this). A letter's validity ('Bị thay thế' …) is never stored: it is read
-- from these rows of later letters (the index below finds the letters that replace, repeal or
-- amend a number).
ALTER TABLE citations ADD COLUMN relation TEXT;
ALTER TABLE citations ADD COLUMN scope TEXT;
CREATE INDEX citations_relation ON citations (relation, cited_key);
