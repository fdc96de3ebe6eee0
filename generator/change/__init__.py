"""Change: what a change of the data changes (diff, staleness), issued documents as records, redlines and amendments."""
