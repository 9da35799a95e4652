"""The archive on disk: originals, the catalog (all SQL) and staging of new files."""
