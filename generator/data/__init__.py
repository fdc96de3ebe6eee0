"""Data: the validated model of an agreement, circular or municipal file, loaded from YAML with every finding at file:line:col; reference lists; figures in prose."""
