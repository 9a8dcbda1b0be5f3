"""Raqib services: ingest, extraction, dedup and alerting, plus their shared runtime."""
