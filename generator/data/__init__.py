"""Data: the validated model of agreements, circulars and municipal files loaded from YAML; reference lists; figures."""
