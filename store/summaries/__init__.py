"""Extractive summaries and keywords, computed at import from the one segmentation."""
