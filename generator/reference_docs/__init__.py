"""Reference documents made from the models: the JSON Schemas and docs/REFERENCE.md."""
