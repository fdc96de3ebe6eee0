"""Tests of generator.cli: Swedish help and messages, what a command loads before it works."""
