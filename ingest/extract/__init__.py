"""Extracting the Decree 30 record of a letter from its cleaned text."""
