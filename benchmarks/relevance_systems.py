"""The systems the known-item evaluation compares, each answering ``search(text, limit)``.

- ``InProcess``: newstui's ``store.search.searcher.Searcher`` on the evaluation store, in this process.
- ``BatchCli``: ``newstui search --batch``, one process for every query: a line in, one JSON
  array (the rows ``search --json`` prints) out, per query.
- ``BM25``: the baseline. Okapi BM25 (k1 1.2, b 0.75, Lucene's idf) over the same words newstui
  indexes (``words(fold(...))`` of title and body, as one field), any-term: every article with at
  least one query word is a result. Ties go to the article loaded first.
"""

from __future__ import annotations

import heapq
import math
import queue
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import orjson

from benchmarks.relevance_queries import Analysed
from newstui.store.records.db import Store
from newstui.store.search.query import QueryError
from newstui.store.search.searcher import Searcher
from newstui.store.text.fold import fold
from newstui.store.text.segment import words

BM25_K1, BM25_B = 1.2, 0.75


@dataclass(frozen=True, slots=True)
class Ranking:
    ids: list[str]  # best first
    partial: bool = False  # the engine says its results lack some query term
    error: str = ""  # the engine refused the query


class BM25:
    name = "BM25"

    def __init__(self, corpus: Sequence[Analysed]) -> None:
        self.keys = [item.article.key for item in corpus]
        self.postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self.lengths = [len(item.tokens) for item in corpus]
        self.average = sum(self.lengths) / max(len(corpus), 1)
        for doc, item in enumerate(corpus):
            counts: dict[str, int] = defaultdict(int)
            for token in item.tokens:
                counts[token] += 1
            for token, count in counts.items():
                self.postings[token].append((doc, count))

    def search(self, text: str, limit: int) -> Ranking:
        scores: dict[int, float] = defaultdict(float)
        n = len(self.keys)
        for term in dict.fromkeys(words(fold(text))):
            posting = self.postings.get(term, ())
            if not posting:
                continue
            idf = math.log(1 + (n - len(posting) + 0.5) / (len(posting) + 0.5))
            for doc, tf in posting:
                norm = BM25_K1 * (1 - BM25_B + BM25_B * self.lengths[doc] / self.average)
                scores[doc] += idf * tf * (BM25_K1 + 1) / (tf + norm)
        best = heapq.nsmallest(limit, scores, key=lambda doc: (-scores[doc], doc))
        return Ranking([self.keys[doc] for doc in best])

    def close(self) -> None:
        pass


class InProcess:
    name = "newstui"

    def __init__(self, store: Store) -> None:
        self.searcher = Searcher(store)
        self.searcher.load()

    def search(self, text: str, limit: int) -> Ranking:
        try:
            result = self.searcher.search(text, limit=limit)
        except QueryError as error:
            return Ranking([], error=str(error))
        # Issue 14 marks results that lack a term; whichever object ends up carrying the mark.
        marked = [result, *result.hits]
        return Ranking([hit.id for hit in result.hits], any(getattr(x, "partial", False) for x in marked))

    def close(self) -> None:
        self.searcher.close()


def newstui_command() -> list[str]:
    """The newstui beside this interpreter (a venv's), else the one on PATH."""
    beside = Path(sys.executable).with_name("newstui")
    found = str(beside) if beside.exists() else shutil.which("newstui")
    return [found] if found else [sys.executable, "-m", "newstui.tui.cli"]


def batch_command(given: str | None) -> list[str]:
    """The newstui command to run, once it is known to have `search --batch` (SystemExit if not)."""
    command = shlex.split(given) if given else newstui_command()
    usage = subprocess.run([*command, "search", "--help"], capture_output=True, text=True, timeout=60)
    if "--batch" not in usage.stdout:
        raise SystemExit(
            f"{' '.join(command)}: `newstui search` has no --batch here (issue 14 adds it); "
            "use --via inprocess"
        )
    return command


class BatchCli:
    """One `newstui search --batch` process, asked one query at a time."""

    name = "newstui"

    def __init__(self, db: Path, limit: int, command: list[str], timeout: float = 60.0) -> None:
        self.timeout = timeout
        # A file, not a pipe: a pipe nobody reads could fill and stall it. Closed by close().
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115
        self.process = subprocess.Popen(
            [*command, "--db", str(db), "search", "--batch", "--json", "--limit", str(limit)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors, bufsize=0,
        )
        self.lines: queue.Queue[bytes] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put(b"")  # the end of output

    def search(self, text: str, limit: int) -> Ranking:
        assert self.process.stdin is not None
        self.process.stdin.write(text.encode("utf-8") + b"\n")
        self.process.stdin.flush()
        try:
            line = self.lines.get(timeout=self.timeout)
        except queue.Empty:
            self.close()
            message = f"newstui search --batch gave no line for {text!r} in {self.timeout:.0f} s"
            raise SystemExit(message) from None
        if not line:
            self.process.wait()
            self.errors.seek(0)
            error = self.errors.read().decode("utf-8", "replace").strip().splitlines()[-1:]
            last = error[0] if error else "no message"
            raise SystemExit(f"newstui search --batch ended at {text!r}: {last}")
        try:
            rows = orjson.loads(line)
        except orjson.JSONDecodeError:
            return Ranking([], error=line.decode("utf-8", "replace").strip())
        if not isinstance(rows, list):
            return Ranking([], error=str(rows))
        return Ranking([row["id"] for row in rows], any(row.get("partial") for row in rows))

    def close(self) -> None:
        if self.process.poll() is None:
            if self.process.stdin:
                self.process.stdin.close()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.errors.close()
