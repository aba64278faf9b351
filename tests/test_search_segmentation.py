"""rjieba (jieba in Rust, ~11x faster) cuts Chinese exactly as jieba does.

store.text.words() sends only runs of Chinese characters to rjieba, so that is what is compared:
every run in the sample, and runs generated from jieba's own dictionary.
"""

from __future__ import annotations

import random
import re
import warnings

import pytest
import rjieba

from benchmarks.corpus import vocabulary
from newstui.store.text.segment import CJK

CJK_RUN = re.compile(f"[{CJK}]+")


@pytest.fixture(scope="module")
def jieba_cut():
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*pkg_resources.*")
        import jieba
    jieba.setLogLevel(60)
    return jieba.lcut


def dictionary_runs(count: int, seed: int = 3) -> list[str]:
    """Runs of 2-12 dictionary words drawn by frequency, plus some characters drawn evenly."""
    words, weights = vocabulary()
    rng = random.Random(seed)
    runs = []
    for _ in range(count):
        run = "".join(rng.choices(words, cum_weights=weights, k=rng.randint(2, 12)))
        run += "".join(rng.choice(words)[0] for _ in range(rng.randint(0, 3)))
        runs.extend(CJK_RUN.findall(run))
    return runs


def mismatches(runs: list[str], jieba_cut) -> list[tuple[str, list[str], list[str]]]:
    return [
        (run, jieba_cut(run), rjieba.cut(run))
        for run in runs
        if jieba_cut(run) != rjieba.cut(run)
    ]


def test_rjieba_cuts_the_sample_like_jieba(sample_file, jieba_cut):
    runs = CJK_RUN.findall(sample_file.read_text(encoding="utf-8"))
    assert len(runs) > 500
    assert mismatches(runs, jieba_cut) == []


def test_rjieba_cuts_generated_text_like_jieba(jieba_cut):
    assert mismatches(dictionary_runs(2000), jieba_cut) == []
