"""The test suite: one folder per package of generator/, the shared fixtures in conftest.py, inputs in fixtures/."""
