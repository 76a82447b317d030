"""Migration scripts, one per revision; the file name starts with a letter so that it is
an importable module name (the revision id inside it starts with a number)."""
