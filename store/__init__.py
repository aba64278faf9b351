"""Headless core of newstui, by concern (each layer imports only the ones below it):

- ``ingest``: importing dumps and feeds: file formats, decoding, subscriptions, the import pipeline;
- ``search``: the tantivy index (documents, writer, catch-up) and queries over it;
- ``summaries``: extractive summaries and keywords;
- ``records``: the store of record (TinyDB files, their layout, checks and repair);
- ``text``: cleaning, language, segmentation, sentences, folding.

Nothing in this package may import Textual: the CLI subcommands and the benchmarks use it
without a terminal.
"""


def __getattr__(name: str) -> str:
    """``__version__``, read from the package metadata when asked for (28 ms at every start
    otherwise, most of what `newstui search` takes before it opens the store)."""
    if name == "__version__":
        from importlib.metadata import version

        return version("newstui")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
