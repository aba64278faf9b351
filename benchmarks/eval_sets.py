"""Public summary data sets, converted to the JSONL that summary_eval.py reads.

    python benchmarks/eval_sets.py bbc   DIR       -o bbc.jsonl     # corpus/ of the BBC News Summary set
    python benchmarks/eval_sets.py lcsts FILE.json -o lcsts.jsonl   # LCSTS as [{"content", "title"}]
    python benchmarks/eval_sets.py cnndm FILE.csv  -o cnndm.jsonl   # CNN/DailyMail (id, article, highlights)
    python benchmarks/eval_sets.py finna eval_list.json -o finna.jsonl  # FinNA: [[summary, text]]
    python benchmarks/eval_sets.py lawbench 2-7.json -o lawbench.jsonl # LawBench 2-7: question, answer

Each line is ``{"title", "article", "summary"}``. The data is never part of the repository:
fetch it, convert it, pass the path.

- ``bbc``: the BBC News Summary set (Sharif 2018, CC0) as adamchristiansen/text-summarizer keeps
  it, one sentence per line. Sentences are joined back into paragraphs, as the articles were
  published, so the summariser has to find the sentences itself.
- ``lcsts``: LCSTS (Hu et al. 2015), short Weibo news with a one-sentence human summary; the
  725 pairs of its part III scored 3 or more are the usual test set.
- ``cnndm``: CNN/DailyMail (See et al. 2017), whose reference is the bulleted highlights.
- ``finna``: FinNA of BBT-FinCUGE (Lu et al. 2023), short Chinese financial news (~150
  characters) with a one-sentence summary written by editors, as a news flash has.
- ``lawbench``: task 2-7 of LawBench (Fei et al. 2023), CAIL2022's public-opinion summaries:
  Chinese news about legal cases (cut to ~330 characters by LawBench) with a one-sentence
  human summary.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path


def bbc(corpus: Path) -> Iterator[dict]:
    """corpus/article/<topic>/<n>.txt: a title line, then paragraphs of one sentence per line."""
    for article in sorted((corpus / "article").glob("*/*.txt")):
        summary = corpus / "summary" / article.relative_to(corpus / "article")
        title, _, body = article.read_text(encoding="utf-8", errors="replace").strip().partition("\n")
        paragraphs = [" ".join(block.split("\n")) for block in body.strip().split("\n\n")]
        yield {
            "title": title.strip(),
            "article": "\n".join(p.strip() for p in paragraphs if p.strip()),
            "summary": " ".join(summary.read_text(encoding="utf-8", errors="replace").split("\n")).strip(),
        }


def lcsts(path: Path) -> Iterator[dict]:
    for item in json.loads(path.read_text(encoding="utf-8")):
        if "content" in item and "title" in item:  # the human summary is LCSTS's "title"
            yield {"title": "", "article": item["content"], "summary": item["title"]}


def cnndm(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8", newline="") as rows:
        for row in csv.DictReader(rows):
            highlights = " ".join(line.strip() for line in row["highlights"].splitlines())
            yield {"title": "", "article": row["article"], "summary": highlights}


def finna(path: Path) -> Iterator[dict]:
    for summary, article in json.loads(path.read_text(encoding="utf-8")):
        yield {"title": "", "article": article, "summary": summary}


def lawbench(path: Path) -> Iterator[dict]:
    for item in json.loads(path.read_text(encoding="utf-8")):
        yield {"title": "", "article": item["question"], "summary": item["answer"]}


def unique_articles(items: Iterator[dict]) -> list[dict]:
    """Each article once (FinNA holds three twice): a repeat would count twice in the means."""
    return list({item["article"]: item for item in items}.values())


READERS = {"bbc": bbc, "lcsts": lcsts, "cnndm": cnndm, "finna": finna, "lawbench": lawbench}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("format", choices=sorted(READERS))
    parser.add_argument("source", type=Path)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    items = unique_articles(READERS[args.format](args.source))
    with args.output.open("w", encoding="utf-8") as out:
        for item in items:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    print(f"{len(items)} articles -> {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
