"""Search: the tantivy index kept beside the store, and queries compiled to it."""
