"""Tests of generator.data: loading, the model, validation, numbering, the municipalities' files, the schema."""
