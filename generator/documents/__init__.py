"""Documents: the one document model every writer renders, and the templating that makes it from the validated data."""
