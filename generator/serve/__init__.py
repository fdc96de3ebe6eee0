"""generator serve: the documents of each year, their findings, amounts and changes, in the browser."""
