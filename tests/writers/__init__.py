"""Tests of generator.writers: DOCX, Typst and reportlab PDF, the payout tables, LibreOffice's reading of our DOCX."""
