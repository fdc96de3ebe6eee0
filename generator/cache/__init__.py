"""Cache: results computed from unchanged inputs, kept between processes per user; wraps lower packages from above."""
