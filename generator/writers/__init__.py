"""Writers: the document model to bytes, one module per format."""
