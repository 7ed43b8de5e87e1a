"""Business logic as plain functions; the only code that commits."""
