"""Bad input, interrupted builds and fuzzing: the generator refuses cleanly and never leaves half a file."""
