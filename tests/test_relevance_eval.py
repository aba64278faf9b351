"""The known-item evaluation harness (benchmarks/relevance_eval.py) on a small fixture we wrote.

The fixture (tests/fixtures/relevance/) is made so that every query type occurs; the real
evaluation runs on fetched news, which tests never depend on.
"""

from __future__ import annotations

import json
import random
import sys
import textwrap
from collections import Counter
from pathlib import Path

import pytest
import zhconv
from pypinyin import lazy_pinyin

from benchmarks import relevance_eval
from benchmarks.relevance_data import LoadReport, load_articles
from benchmarks.relevance_queries import (
    EN_EXACT,
    EN_TYPO,
    IME_CANDIDATES,
    KINDS,
    LETTERS_DIGITS,
    ZH_ACROSS,
    ZH_EXACT,
    ZH_HOMOPHONE,
    ZH_INITIALS,
    ZH_INSIDE,
    ZH_PINYIN,
    ZH_PINYIN_INSIDE,
    ZH_TRADITIONAL,
    QueryMaker,
    analyse,
    common_characters,
    english_typo,
    homophone_typo,
    keyboard_neighbours,
)
from benchmarks.relevance_systems import BM25
from newstui.store.ingest.formats.records import ImportFailure
from newstui.store.text.fold import fold

FIXTURE = Path(__file__).parent / "fixtures" / "relevance"
PATHS = [FIXTURE / "news-zh.jsonl", FIXTURE / "bbc-style", FIXTURE / "more-en.csv"]


@pytest.fixture(scope="module")
def corpus():
    return [analyse(article) for article in load_articles(PATHS)]


@pytest.fixture(scope="module")
def queries(corpus):
    return QueryMaker(corpus, seed=14).queries()


@pytest.fixture(scope="module")
def by_key(corpus):
    return {item.article.key: item for item in corpus}


def of_kind(queries, kind):
    found = [query for query in queries if query.kind == kind]
    assert found, f"the fixture yields no {kind} query"
    return found


def test_loader_reads_each_format_and_drops_the_duplicate():
    report = LoadReport()
    articles = load_articles(PATHS, report)
    assert report.read == {str(PATHS[0]): 14, str(PATHS[1]): 8, str(PATHS[2]): 3}
    assert report.dropped == {"duplicate": 1}
    assert len(articles) == 24
    assert Counter(article.lang for article in articles) == {"zh": 14, "en": 10}
    bbc = next(article for article in articles if article.title == "Coffee chain expands cafe network")
    assert bbc.reference_kind == "headline" and bbc.reference == bbc.title
    assert bbc.body.startswith("A British coffee chain")
    lcsts_like = articles[0]
    assert lcsts_like.reference == "天津港仓库爆炸 居民连夜疏散" and lcsts_like.reference_kind == "summary"
    assert lcsts_like.title  # derived from the body, as newstui import does
    # The Summaries folder holds extracted sentences, not articles.
    assert sum("iPhone14" in article.body for article in articles) == 1


def test_loader_names_the_file_and_line_of_bad_json(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"article": "一", "summary": "二"}\n{not json\n', encoding="utf-8")
    with pytest.raises(ImportFailure, match=r"bad\.jsonl:2: not JSON"):
        load_articles([bad])
    with pytest.raises(ImportFailure, match="no such file"):
        load_articles([tmp_path / "missing.jsonl"])


def test_bad_data_is_a_one_line_error_not_a_traceback(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('[{"article": "一", "summary": "二"},\n oops]', encoding="utf-8")
    with pytest.raises(SystemExit, match=r"bad\.json:2: not JSON"):
        relevance_eval.main([f"--data={bad}"])
    empty = tmp_path / "empty.jsonl"
    empty.write_text('{"title": "", "article": ""}\n', encoding="utf-8")
    with pytest.raises(SystemExit, match="no usable articles"):
        relevance_eval.main([f"--data={empty}"])


def test_the_fixture_yields_every_query_type(queries):
    assert set(KINDS) <= {query.kind for query in queries}


def test_queries_are_deterministic_and_follow_the_seed(corpus, queries):
    assert QueryMaker(corpus, seed=14).queries() == queries
    assert QueryMaker(corpus, seed=15).queries() != queries


def test_query_words_come_from_the_summary_and_occur_in_the_wanted_article(queries, by_key):
    for query in queries:
        item = by_key[query.target]
        summary = fold(item.article.reference)
        for word in query.exact.split():
            assert word in summary.replace(" ", "") or word in summary, (query, word)
            assert word in item.folded, (query, word)
        if query.kind in (ZH_EXACT, EN_EXACT):
            assert all(word in item.token_set for word in query.text.split()), query


def test_variants_change_one_word_of_the_exact_query(queries):
    exact = {query.target: query.text for query in queries if query.kind in (ZH_EXACT, EN_EXACT)}
    for kind in (ZH_HOMOPHONE, ZH_PINYIN, ZH_INITIALS, EN_TYPO):
        for query in of_kind(queries, kind):
            assert query.exact == exact[query.target]
            assert query.text == query.exact.replace(query.changed, query.typed, 1)
            assert query.typed != query.changed


def test_a_homophone_differs_in_one_character_with_the_same_pinyin(queries, by_key):
    common = common_characters()
    for query in of_kind(queries, ZH_HOMOPHONE):
        word, typo = query.changed, query.typed
        differing = [i for i, (a, b) in enumerate(zip(word, typo, strict=True)) if a != b]
        assert len(differing) == 1, query
        assert lazy_pinyin(typo) == lazy_pinyin(word), query
        assert typo[differing[0]] in common, query
        assert fold(typo[differing[0]]) != fold(word[differing[0]])  # not a variant form
        assert typo not in by_key[query.target].folded  # really a typo for this article


def test_pinyin_queries_are_the_words_pinyin(queries):
    for query in of_kind(queries, ZH_PINYIN) + of_kind(queries, ZH_PINYIN_INSIDE):
        assert query.typed == "".join(lazy_pinyin(query.changed)), query
        assert query.typed.isascii() and query.typed.isalpha()
    for query in of_kind(queries, ZH_INITIALS):
        assert query.typed == "".join(s[0] for s in lazy_pinyin(query.changed)), query
        assert len(query.typed) == len(query.changed)
    siling = [q for q in of_kind(queries, ZH_PINYIN_INSIDE) if q.changed == "司令"]
    assert siling and siling[0].typed == "siling" and siling[0].note == "inside 空军司令"


def test_traditional_queries_convert_back_to_the_exact_query(queries):
    for query in of_kind(queries, ZH_TRADITIONAL):
        assert query.text != query.exact
        assert zhconv.convert(query.text, "zh-cn") == query.exact
        assert fold(query.text) == query.exact  # newstui's folding meets it


def test_segmentation_queries_use_words_the_article_cuts_differently(queries, by_key):
    for query in of_kind(queries, ZH_INSIDE) + of_kind(queries, ZH_ACROSS):
        item = by_key[query.target]
        assert query.changed in item.folded and query.changed not in item.token_set, query
        inside = any(query.changed in token and token != query.changed for token in item.token_set)
        assert inside == (query.kind == ZH_INSIDE), query
    assert any(q.text == "乐视 再融资" for q in of_kind(queries, ZH_ACROSS))


def test_english_typos_are_one_edit_of_a_word_of_four_letters_or_more(corpus, queries):
    vocabulary = QueryMaker(corpus).english_vocabulary
    kinds = set()
    for query in of_kind(queries, EN_TYPO):
        word, typo = query.changed, query.typed
        assert len(word) >= 4 and typo not in vocabulary
        assert _one_edit(word, typo), query
        kinds.add(query.note)
    assert kinds == {"substitution", "insertion", "deletion", "transposition"}


def test_a_typo_that_makes_another_word_is_not_used():
    neighbours = keyboard_neighbours()
    word = "cafe"
    edits = {word[:i] + word[i + 1 :] for i in range(4)}
    edits |= {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(3)}
    edits |= {word[:i] + key + word[i + 1 :] for i in range(4) for key in neighbours[word[i]]}
    edits |= {word[:i] + key + word[i:] for i in range(4) for key in neighbours[word[i]]}
    for seed in range(5):
        only = frozenset(edits - {"cfae"})
        assert english_typo(word, random.Random(seed), only) == ("cfae", "transposition")
    assert english_typo(word, random.Random(0), frozenset(edits)) is None
    assert english_typo("cat", random.Random(0), frozenset()) is None  # too short to be a typo target


def test_a_homophone_is_never_text_of_the_article():
    article, made = "天津", []
    for seed in range(200):  # each typo goes into the article, until none is left to make
        typo = homophone_typo("天津", random.Random(seed), article)
        if typo is None:
            break
        assert typo not in article and lazy_pinyin(typo) == ["tian", "jin"]
        article += "，" + typo
        made.append(typo)
    else:
        pytest.fail("homophones never ran out")
    assert 2 <= len(made) <= 2 * IME_CANDIDATES


def _one_edit(a: str, b: str) -> bool:
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        i = diff[0] if diff else 0
        swapped = len(diff) == 2 and diff[1] == i + 1 and (a[i], a[i + 1]) == (b[i + 1], b[i])
        return len(diff) == 1 or swapped
    short, long_ = sorted((a, b), key=len)
    deletions = {long_[:i] + long_[i + 1 :] for i in range(len(long_))}
    return len(long_) - len(short) == 1 and short in deletions


def test_letters_and_digits_are_written_the_other_way(queries, by_key):
    found = {query.typed: query for query in of_kind(queries, LETTERS_DIGITS)}
    assert found["eccv2018"].note == "spaced in the article"
    assert found["pm 2.5"].note == "joined in the article"
    for typed, query in found.items():
        assert typed not in by_key[query.target].folded


def test_bm25_matches_any_term_and_ranks_by_weight(corpus):
    bm25 = BM25(corpus)
    tianjin = next(item.article.key for item in corpus if "天津港" in item.folded)
    ranking = bm25.search("天津港 不存在的词", 5)
    assert ranking.ids[0] == tianjin
    assert bm25.search("xyzzy qqqzzz", 5).ids == []
    having = {item.article.key for item in corpus if "下调" in item.token_set}
    assert len(having) == 2 and set(bm25.search("下调", 10).ids) == having


def test_the_harness_runs_end_to_end(capsys, tmp_path):
    details = tmp_path / "details.jsonl"
    arguments = [f"--data={path}" for path in PATHS]
    relevance_eval.main([*arguments, "--json", "--workers=1", "--keystroke-sample=5", f"--details={details}"])
    report = json.loads(capsys.readouterr().out)
    rows = {row["kind"]: row for row in report["rows"]}
    assert set(rows) == set(KINDS)
    assert rows[ZH_EXACT]["goal_first"] == 97 and rows[EN_EXACT]["goal_top5"] == 99
    for kind in (ZH_EXACT, EN_EXACT):  # unambiguous on 24 short articles
        assert rows[kind]["newstui"]["first"] == 100.0, rows[kind]
        assert rows[kind]["BM25"]["top5"] == 100.0, rows[kind]
    assert report["articles"]["used"] == 24
    assert report["keystrokes"]["newstui"]["searches"] > 5
    lines = details.read_text(encoding="utf-8").splitlines()
    assert len(lines) == sum(row["n"] for row in rows.values())
    record = json.loads(lines[0])
    assert record["newstui"]["rank"] == 1 and record["BM25"]["results"] >= 1


FAKE_BATCH_CLI = """
    import argparse, sys
    sys.path.insert(0, {root!r})
    import orjson
    from newstui.store.records.db import Store
    from newstui.store.search.searcher import Searcher
    parser = argparse.ArgumentParser()
    parser.add_argument("--db")
    commands = parser.add_subparsers(dest="command")
    search = commands.add_parser("search")
    search.add_argument("query", nargs="*")
    {batch}
    search.add_argument("--json", action="store_true")
    search.add_argument("--limit", type=int)
    args = parser.parse_args()
    searcher = Searcher(Store(args.db))
    for line in sys.stdin:
        hits = searcher.search(line.strip(), limit=args.limit).hits
        sys.stdout.buffer.write(orjson.dumps([{{"id": hit.id}} for hit in hits]) + b"\\n")
        sys.stdout.flush()
"""


def _fake_cli(tmp_path: Path, with_batch: bool) -> str:
    batch = 'search.add_argument("--batch", action="store_true")' if with_batch else ""
    script = tmp_path / "fake_newstui.py"
    root = str(Path(__file__).resolve().parent.parent)
    script.write_text(textwrap.dedent(FAKE_BATCH_CLI.format(root=root, batch=batch)), encoding="utf-8")
    return f"{sys.executable} {script}"


def test_via_cli_reads_one_json_array_per_query(capsys, tmp_path):
    arguments = [f"--data={PATHS[0]}", "--json", "--workers=1"]
    relevance_eval.main([*arguments, "--via=cli", f"--newstui={_fake_cli(tmp_path, True)}"])
    via_cli = json.loads(capsys.readouterr().out)
    relevance_eval.main(arguments)
    in_process = json.loads(capsys.readouterr().out)
    assert via_cli["rows"] == in_process["rows"]


def test_via_cli_without_batch_is_a_one_line_error(tmp_path):
    with pytest.raises(SystemExit, match="has no --batch"):
        relevance_eval.main([f"--data={PATHS[0]}", "--via=cli", f"--newstui={_fake_cli(tmp_path, False)}"])
