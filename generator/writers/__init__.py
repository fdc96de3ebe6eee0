"""Writers: one function per format from the document model (or an allocation) to bytes: DOCX, PDF, payout tables."""
