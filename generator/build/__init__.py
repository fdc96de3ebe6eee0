"""Build: which documents to make, rendering them (in parallel), writing them atomically with their provenance, and skipping what did not change."""
