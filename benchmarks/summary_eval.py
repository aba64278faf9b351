"""Summary quality: character-level ROUGE-1/2/L F1 of newstui against LEAD-k, in one run.

    python benchmarks/summary_eval.py --data ../shared/eval/summaries-zh.jsonl

The data file has one ``{"article", "summary"}`` object per line. Tokens for ROUGE are single
Chinese characters, whole English words and whole numbers (3.5, 21,597); punctuation is
dropped. Scores are F1 per article, averaged over articles, in percent.

Rows:
- ``newstui``: ``store.summarize.summarize`` with its default settings.
- ``LEAD-k``: the first k sentences as newstui splits them — the baseline to beat.
- ``LEAD-k (punctuation split)``: the first k pieces when splitting only at 。！？!?；… — how
  the baseline figures in the summaries issue were made, to check that this scorer matches.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from store.summarize import summarize
from store.text import CJK, split_sentences

_ROUGE_TOKEN = re.compile(f"[{CJK}]|[A-Za-z0-9]+(?:[.,][0-9]+)*")
_PUNCTUATION_SPLIT = re.compile(r"[^。！？!?；…\n]+(?:[。！？!?；…]+[”’」』）)】》\"']*)?")
GOAL_OVER_LEAD3 = 1.10


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


def scores(summary: str, reference: str) -> tuple[float, float, float]:
    """(ROUGE-1, ROUGE-2, ROUGE-L) F1 of one summary, each in [0, 1]."""
    candidate, gold = rouge_tokens(summary), rouge_tokens(reference)
    return rouge_n(candidate, gold, 1), rouge_n(candidate, gold, 2), rouge_l(candidate, gold)


def evaluate(system: Callable[[str], list[str]], data: list[dict]) -> dict[str, float]:
    """Mean ROUGE F1 (percent) and mean summary length in characters over the data set."""
    totals = [0.0, 0.0, 0.0]
    length = 0
    for item in data:
        summary = "".join(system(item["article"]))
        length += len(summary)
        for k, value in enumerate(scores(summary, item["summary"])):
            totals[k] += value
    count = len(data)
    r1, r2, rl = (100 * total / count for total in totals)
    return {"R-1": r1, "R-2": r2, "R-L": rl, "chars": length / count}


def lead(k: int, splitter: Callable[[str], list[str]]) -> Callable[[str], list[str]]:
    return lambda article: splitter(article)[:k]


def punctuation_split(text: str) -> list[str]:
    return [piece.strip() for piece in _PUNCTUATION_SPLIT.findall(text) if piece.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help='JSONL of {"article","summary"}')
    args = parser.parse_args()
    data = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line]

    systems: dict[str, Callable[[str], list[str]]] = {"newstui": summarize}
    for k in (1, 2, 3):
        systems[f"LEAD-{k}"] = lead(k, split_sentences)
    for k in (1, 2, 3):
        systems[f"LEAD-{k} (punctuation split)"] = lead(k, punctuation_split)
    results = {name: evaluate(system, data) for name, system in systems.items()}

    print(f"{len(data)} articles from {args.data}; character-level ROUGE F1 (%)\n")
    print(f"{'system':30} {'R-1':>6} {'R-2':>6} {'R-L':>6} {'chars':>6}")
    for name, row in results.items():
        print(f"{name:30} {row['R-1']:6.2f} {row['R-2']:6.2f} {row['R-L']:6.2f} {row['chars']:6.1f}")
    # Against the stronger of the two LEAD-3 rows, so the splitter cannot lower the bar.
    lead3 = max(results["LEAD-3"]["R-L"], results["LEAD-3 (punctuation split)"]["R-L"])
    goal = GOAL_OVER_LEAD3 * lead3
    ours = results["newstui"]["R-L"]
    verdict = "met" if ours >= goal else "NOT met"
    print(f"\ngoal R-L >= {GOAL_OVER_LEAD3:.2f} x LEAD-3 = {goal:.2f}: newstui {ours:.2f}, {verdict}")


if __name__ == "__main__":
    main()
