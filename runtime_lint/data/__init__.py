"""Data files: the bundled release catalog (catalog.json, and bundled.py generated from it)."""
