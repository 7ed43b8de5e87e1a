"""Advocacy's services: periods, the daily pre-aggregate, the figures, alerts and settings."""
