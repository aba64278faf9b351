"""The store of record: TinyDB files of entries, bodies and reading state, their layout, checks and repair."""
