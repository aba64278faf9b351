"""Headless core of newstui: models, importers, the TinyDB store, search and summaries.

Nothing in this package may import Textual: the CLI subcommands and the benchmarks use it
without a terminal.
"""

__version__ = "0.1.0"
