"""Cache: what was computed from unchanged inputs, kept between processes in the private per-user folder; wraps the lower packages from above."""
