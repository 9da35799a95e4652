"""What staff and time do to archived letters: corrections by hand, possible duplicates and
versions, re-extraction after an extractor upgrade, the registers (sổ đến / đi), the trash."""
