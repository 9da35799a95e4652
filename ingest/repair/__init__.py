"""Repairing text: legacy encodings, broken lines, OCR confusions, lost diacritics."""
