"""Generator of the documents around the state–SKL grant agreements."""

__version__ = "0.1.0"
