"""Writers: one function per format from the document model (or a year's allocation) to bytes: DOCX, PDF (Typst, reportlab), payout tables."""
