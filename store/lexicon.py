"""The vocabulary file beside the tantivy index: its words, their document counts, pinyin keys
and title compounds, which query expansion needs and tantivy's API cannot list quickly.

It is derived from the index itself (tantivy's term dictionaries, read in Rust), never counted
separately, so it cannot drift from it: the file is named for the tantivy commit (opstamp) it was
read at, and whoever finishes writing the index writes a new one when that commit has moved on
(after a crash too). A reader finding it stale uses it as it is: exact words are always checked against
the index itself, only expansions to words newer than the file wait for the next write.
"""

from __future__ import annotations

from itertools import islice
from pathlib import Path

import orjson
import tantivy

from store.db import paused_gc, write_atomic
from store.documents import PAIR_JOINER
from store.engine import OpenIndex
from store.fold import pinyin_keys
from store.text import is_cjk
from store.vocabulary import MIN_COMPOUND_COUNT, TYPO_VOCABULARY, Vocabulary

_FILE = "vocabulary-{opstamp}.json"


def vocabulary_of(searcher: tantivy.Searcher) -> tuple[dict, Vocabulary]:
    """Read the vocabulary out of the index: (the file's payload, the Vocabulary)."""
    counted = searcher.terms_with_prefix("words", "")  # most documents first
    typable = (term for term, _ in counted if not term.isdigit())
    frequent = [(term, _keys(term) if is_cjk(term) else "") for term in islice(typable, TYPO_VOCABULARY)]
    counted.sort()
    compounds = []
    for pair, titles in searcher.terms_with_prefix("pairs", ""):
        if titles < MIN_COMPOUND_COUNT:
            break
        first, _, second = pair.partition(PAIR_JOINER)
        compounds.append((first, second, titles, _keys(first + second)))
    payload = {
        "terms": "\n".join(term for term, _ in counted),
        "counts": [count for _, count in counted],
        "frequent": frequent,
        "compounds": compounds,
    }
    return payload, _vocabulary(payload)


def _keys(term: str) -> str:
    """ "full initials" pinyin of a Chinese term, "" for anything else."""
    keys = pinyin_keys(term)
    return " ".join(keys) if keys else ""


def _vocabulary(payload: dict) -> Vocabulary:
    terms = payload["terms"].split("\n") if payload["terms"] else []
    return Vocabulary(
        terms, payload["counts"], [tuple(p) for p in payload["frequent"]],
        [tuple(c) for c in payload["compounds"]],
    )


def newest_file(index: OpenIndex) -> Path | None:
    """The vocabulary file of the latest commit that has one."""
    found = [(int(p.stem.split("-", 1)[1]), p) for p in index.path.glob("vocabulary-*.json")
             if p.stem.split("-", 1)[1].isdigit()]
    return max(found)[1] if found else None


def write_vocabulary(index: OpenIndex) -> None:
    """Write the file for the index's last commit, unless there is one; drop older ones."""
    opstamp = index.opstamp()
    if opstamp is None:
        return
    path = index.path / _FILE.format(opstamp=opstamp)
    if not path.exists():
        index.reload()
        payload, _ = vocabulary_of(index.searcher())
        write_atomic(path, orjson.dumps(payload))
    for old in index.path.glob("vocabulary-*.json"):
        if old != path:
            old.unlink(missing_ok=True)


def load_vocabulary(index: OpenIndex) -> tuple[Vocabulary, Path | None]:
    """The vocabulary from its newest file, and that file; read from the index when there is
    none (a read-only copy without one, an index still being built) or it is unreadable."""
    path = newest_file(index)
    if path is not None:
        try:
            with paused_gc():
                return _vocabulary(orjson.loads(path.read_bytes())), path
        except (OSError, orjson.JSONDecodeError, AttributeError, KeyError, TypeError, ValueError):
            pass
    return vocabulary_of(index.searcher())[1], None
