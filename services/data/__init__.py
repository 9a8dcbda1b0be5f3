"""Bundled data: the sample feed."""
