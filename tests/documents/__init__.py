"""Tests of generator.documents: the document model, captions, the county letters as their readers see them."""
