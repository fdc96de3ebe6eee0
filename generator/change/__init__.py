"""Change: what a change of the data changes (diff, staleness of documents), issued documents as records, redlines and amending decisions."""
