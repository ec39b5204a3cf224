"""Drafting: a first map of a document, for its author to review (``build_graph.py draft``)."""
