"""What every Raqib service shares: settings, errors, state store, Kafka plumbing."""
