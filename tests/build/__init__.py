"""Tests of generator.build: the built tree, the pool, incremental rebuilds, provenance and the manifest."""
