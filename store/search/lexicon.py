"""The vocabulary file beside the tantivy index: its words, their document counts, pinyin keys
and title compounds, which query expansion needs and tantivy's API cannot list quickly.

It is derived from the index itself (tantivy's term dictionaries, read in Rust), never counted
separately, so it cannot drift from it: the file is named for the tantivy commit (opstamp) it was
read at, and whoever finishes writing the index writes a new one when that commit has moved on
(after a crash too). A reader finding it stale uses it as it is: exact words are always checked
against the index itself, only expansions to words newer than the file wait for the next write.
"""

from __future__ import annotations

import sys
from array import array
from itertools import islice
from pathlib import Path

import orjson
import tantivy

from ..records.db import write_atomic
from ..text.fold import pinyin_keys
from ..text.segment import is_cjk
from .documents import PAIR_JOINER
from .engine import OpenIndex
from .vocabulary import MIN_COMPOUND_COUNT, TYPO_VOCABULARY, Terms, Vocabulary

_FILE = "vocabulary-{opstamp}.bin"
_MAGIC = b"newstui vocabulary 1\n"


def vocabulary_of(searcher: tantivy.Searcher) -> bytes:
    """Read the vocabulary out of the index, as the file holds it: a JSON header line, every
    term on a line (sorted), where each line starts and its document count (uint32), then the
    frequent terms' pinyin keys and the title compounds as JSON (parsed only when needed)."""
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
    terms = Terms.of([term for term, _ in counted])
    text = terms.joined.encode("utf-8")
    starts, counts = _little_endian(terms.starts), _little_endian(array("I", (n for _, n in counted)))
    keyed = orjson.dumps([frequent, compounds])
    header = orjson.dumps({"terms": len(terms), "text": len(text), "keyed": len(keyed)})
    return b"".join((_MAGIC, header, b"\n", text, starts, counts, keyed))


def _little_endian(numbers: array) -> bytes:
    if sys.byteorder == "big":
        numbers = array(numbers.typecode, numbers)
        numbers.byteswap()
    return numbers.tobytes()


def _numbers(data: memoryview, count: int) -> array:
    numbers = array("I")
    numbers.frombytes(data[: 4 * count])
    if sys.byteorder == "big":
        numbers.byteswap()
    return numbers


def _parsed(data: bytes) -> Vocabulary:
    """A Vocabulary from the file's bytes (ValueError when they are not one)."""
    if not data.startswith(_MAGIC):
        raise ValueError("not a vocabulary file")
    end = data.index(b"\n", len(_MAGIC))
    header = orjson.loads(data[len(_MAGIC) : end])
    view = memoryview(data)[end + 1 :]
    size, text_bytes = header["terms"], header["text"]
    joined = bytes(view[:text_bytes]).decode("utf-8")
    starts = _numbers(view[text_bytes:], size + 1)
    counts = _numbers(view[text_bytes + 4 * (size + 1) :], size)
    keyed = bytes(view[text_bytes + 8 * size + 4 :])
    if len(starts) != size + 1 or len(counts) != size or len(keyed) != header["keyed"]:
        raise ValueError("truncated vocabulary file")

    def read_keyed() -> tuple[list, list]:
        frequent, compounds = orjson.loads(keyed)
        return [tuple(row) for row in frequent], [tuple(row) for row in compounds]

    return Vocabulary(Terms(joined, starts), counts, read_keyed)


def _keys(term: str) -> str:
    """ "full initials" pinyin of a Chinese term, "" for anything else."""
    keys = pinyin_keys(term)
    return " ".join(keys) if keys else ""


def newest_file(index: OpenIndex) -> Path | None:
    """The vocabulary file of the latest commit that has one."""
    found = [(int(p.stem.split("-", 1)[1]), p) for p in index.path.glob("vocabulary-*.bin")
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
        write_atomic(path, vocabulary_of(index.searcher()))
    for old in index.path.glob("vocabulary-*"):
        if old != path:
            old.unlink(missing_ok=True)


def load_vocabulary(index: OpenIndex) -> tuple[Vocabulary, Path | None]:
    """The vocabulary from its newest file, and that file; read from the index when there is
    none (a read-only copy without one, an index still being built) or it is unreadable."""
    path = newest_file(index)
    if path is not None:
        try:
            return _parsed(path.read_bytes()), path
        except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
            pass
    return _parsed(vocabulary_of(index.searcher())), None
