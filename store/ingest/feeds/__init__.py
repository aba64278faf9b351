"""Subscriptions: feeds newstui follows, refreshed with conditional requests (see update.py)."""
