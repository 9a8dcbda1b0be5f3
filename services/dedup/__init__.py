"""The dedup service."""
