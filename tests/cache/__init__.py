"""Tests of generator.cache: canonical digests and validated agreements kept between runs."""
