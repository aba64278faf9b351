"""Summary quality: ROUGE-1/2/L F1 of newstui against LEAD-k and sumy's LexRank and TextRank, in one run.

    python benchmarks/summary_eval.py --data ../shared/eval/summaries-zh.jsonl [--sentences 3] [--goal 1.10]

The data file has one ``{"article", "summary"}`` object per line (benchmarks/eval_sets.py
converts public sets to it). Tokens for ROUGE are single Chinese characters, whole English
words and whole numbers (3.5, 21,597), lowercased; punctuation is dropped. Scores are F1 per
article, averaged over articles, in percent.

Every system is asked for ``--sentences`` sentences, and every summary is then cut to the same
number of tokens as the first k sentences of its article (LEAD-k): a system cannot win by
choosing longer sentences. The table gives the mean number of sentences before the cut and of
tokens after it.

Articles are split in two by a hash of their text: "dev", which the summariser's settings
were tuned on, and "held-out", which they never were. Both are reported beside the whole set,
and the goal must hold on each. "R-L uncut" scores the whole summaries, as a reader gets them.

Rows:
- ``newstui``: ``store.summaries.summarize.summarize(article, k)``.
- ``LEAD-k``: the first k sentences as newstui splits them — the baseline to beat.
- ``LEAD-k (naive split)``: the first k pieces when splitting only at 。！？!?；… and at a
  period before a space, so the bar never depends on newstui's splitter alone.
- ``LEAD-k at newstui's length``: LEAD-k cut to as many tokens as newstui's summary of the
  article has. A shorter summary scores higher F1 against a short reference by its length
  alone; beside this row newstui's choice of sentences is all that differs.
- ``LexRank``, ``TextRank``: sumy's (``pip install '.[bench]'``), over the same sentences,
  words, stems and stopwords as newstui: outside anchors, not baselines.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newstui.store.summaries.summarize import summarize
from newstui.store.summaries.terms import stopwords, term_of
from newstui.store.text.fold import fold
from newstui.store.text.segment import CJK, words
from newstui.store.text.sentences import split_sentences

_ROUGE_TOKEN = re.compile(f"[{CJK}]|[A-Za-z0-9]+(?:[.,][0-9]+)*")
_NAIVE_SPLIT = re.compile(
    r"[^。！？!?；…\n]+?(?:[。！？!?；…]+[”’」』）)】》\"']*|\.[\"'”’)]*(?=\s)|(?=\n)|$)"
)
DEFAULT_GOAL = 1.10

Summarizer = Callable[[str, int], list[str]]


def rouge_tokens(text: str) -> list[str]:
    """Chinese characters one by one, English words and numbers whole and lowercased."""
    return [token.lower() for token in _ROUGE_TOKEN.findall(text)]


def f1(overlap: int, candidate: int, reference: int) -> float:
    if overlap == 0:
        return 0.0
    precision, recall = overlap / candidate, overlap / reference
    return 2 * precision * recall / (precision + recall)


def rouge_n(candidate: Sequence[str], reference: Sequence[str], n: int) -> float:
    """ROUGE-N F1: clipped n-gram overlap."""
    ours = Counter(tuple(candidate[i : i + n]) for i in range(len(candidate) - n + 1))
    theirs = Counter(tuple(reference[i : i + n]) for i in range(len(reference) - n + 1))
    return f1(sum((ours & theirs).values()), sum(ours.values()), sum(theirs.values()))


def longest_common_subsequence(a: Sequence[str], b: Sequence[str]) -> int:
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def rouge_l(candidate: Sequence[str], reference: Sequence[str]) -> float:
    """ROUGE-L F1 over the whole summary as one sequence."""
    return f1(longest_common_subsequence(candidate, reference), len(candidate), len(reference))


def scores(summary: str, reference: str, limit: int | None = None) -> tuple[float, float, float]:
    """(ROUGE-1, ROUGE-2, ROUGE-L) F1 of one summary, each in [0, 1], its first ``limit``
    tokens only if given."""
    candidate, gold = rouge_tokens(summary)[:limit], rouge_tokens(reference)
    return rouge_n(candidate, gold, 1), rouge_n(candidate, gold, 2), rouge_l(candidate, gold)


def evaluate(system: Summarizer, data: list[dict], sentences: int) -> dict[str, float]:
    """Mean ROUGE F1 (percent), sentences and tokens over the data set, each summary cut to
    the length of its article's LEAD-k; and ROUGE-L of the whole summaries, uncut."""
    totals = [0.0, 0.0, 0.0, 0.0]
    chosen = tokens = 0
    for item in data:
        article = item["article"]
        limit = len(rouge_tokens("".join(split_sentences(article)[:sentences])))
        summary = system(article, sentences)
        chosen += len(summary)
        tokens += min(limit, len(rouge_tokens("".join(summary))))
        for k, value in enumerate(scores(" ".join(summary), item["summary"], limit)):
            totals[k] += value
        totals[3] += scores(" ".join(summary), item["summary"])[2]
    count = max(len(data), 1)
    r1, r2, rl, uncut = (100 * total / count for total in totals)
    return {"R-1": r1, "R-2": r2, "R-L": rl, "R-L uncut": uncut, "sentences": chosen / count,
            "tokens": tokens / count}


def lead(splitter: Callable[[str], list[str]]) -> Summarizer:
    return lambda article, k: splitter(article)[:k]


def lead_at_length(system: Summarizer) -> Summarizer:
    """LEAD-k, each cut to the length of ``system``'s summary of the same article."""

    def run(article: str, k: int) -> list[str]:
        lead_text = " ".join(split_sentences(article)[:k])
        ends = [token.end() for token in _ROUGE_TOKEN.finditer(lead_text)]
        length = min(len(rouge_tokens(" ".join(system(article, k)))), len(ends))
        return [lead_text[: ends[length - 1]]] if length else []

    return run


def naive_split(text: str) -> list[str]:
    return [piece.strip() for piece in _NAIVE_SPLIT.findall(text) if piece.strip()]


def sumy_systems() -> dict[str, Summarizer]:
    """sumy's LexRank and TextRank over newstui's sentences, words and stems; {} without sumy."""
    try:
        from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
        from sumy.summarizers.lex_rank import LexRankSummarizer
        from sumy.summarizers.text_rank import TextRankSummarizer
    except ImportError:
        return {}

    class Tokenizer:
        language = "multilingual"

        @staticmethod
        def to_sentences(text: str) -> list[str]:
            return split_sentences(text)

        @staticmethod
        def to_words(sentence: str) -> list[str]:
            return words(fold(sentence))

    def system(kind: type) -> Summarizer:
        summarizer = kind(term_of)
        summarizer.stop_words = stopwords()

        def run(article: str, k: int) -> list[str]:
            sentences = [Sentence(s, Tokenizer) for s in split_sentences(article)]
            return [str(s) for s in summarizer(ObjectDocumentModel([Paragraph(sentences)]), k)]

        return run

    return {"LexRank (sumy)": system(LexRankSummarizer), "TextRank (sumy)": system(TextRankSummarizer)}


def held_out(item: dict) -> bool:
    """Half the articles, by a hash of their text: the same half on every run."""
    return hashlib.blake2b(item["article"].encode("utf-8"), digest_size=1).digest()[0] % 2 == 1


def report(name: str, data: list[dict], sentences: int, goal: float) -> bool:
    """Print one part's table; whether newstui meets the goal there."""
    systems: dict[str, Summarizer] = {
        "newstui": summarize,
        f"LEAD-{sentences}": lead(split_sentences),
        f"LEAD-{sentences} (naive split)": lead(naive_split),
        f"LEAD-{sentences} at newstui's length": lead_at_length(summarize),
        **sumy_systems(),
    }
    results = {label: evaluate(system, data, sentences) for label, system in systems.items()}
    print(f"\n{name}: {len(data)} articles")
    print(f"{'system':29} {'R-1':>6} {'R-2':>6} {'R-L':>6} {'sentences':>9} {'tokens':>7} {'R-L uncut':>9}")
    for label, row in results.items():
        print(
            f"{label:29} {row['R-1']:6.2f} {row['R-2']:6.2f} {row['R-L']:6.2f}"
            f" {row['sentences']:9.2f} {row['tokens']:7.1f} {row['R-L uncut']:9.2f}"
        )
    bar = max(results[f"LEAD-{sentences}"]["R-L"], results[f"LEAD-{sentences} (naive split)"]["R-L"])
    ours = results["newstui"]["R-L"]
    met = ours >= goal * bar
    verdict = "met" if met else "NOT met"
    print(f"goal R-L >= {goal:.2f} x LEAD-{sentences} = {goal * bar:.2f}: newstui {ours:.2f} "
          f"({ours / bar if bar else 0:.3f} x), {verdict}")
    same_length = results[f"LEAD-{sentences} at newstui's length"]["R-L"]
    print(f"at equal length: newstui / LEAD-{sentences} = {ours / same_length if same_length else 0:.3f}")
    return met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help='JSONL of {"article","summary"}')
    parser.add_argument("--sentences", type=int, default=3, help="k: sentences asked of every system")
    parser.add_argument("--goal", type=float, default=DEFAULT_GOAL, help="newstui R-L over LEAD-k's")
    args = parser.parse_args()
    data = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line]
    k = args.sentences
    print(f"{args.data}: {len(data)} articles; ROUGE F1 (%), each summary cut to LEAD-{k}'s length")
    if not sumy_systems():
        print("(sumy is not installed: pip install '.[bench]' for the LexRank and TextRank rows)")
    parts = {
        "all": data,
        "dev": [item for item in data if not held_out(item)],
        "held-out": [item for item in data if held_out(item)],
    }
    met = [report(name, part, args.sentences, args.goal) for name, part in parts.items() if part]
    sys.exit(0 if all(met) else 1)


if __name__ == "__main__":
    main()
