"""How the store and its tantivy index stay in step: import batches, catch-up, removals.

The index an import leaves must answer exactly as one rebuilt from the stored articles; every
batch it commits must be searchable at once; nothing is indexed twice or analysed again; and
whatever the store holds (or no longer holds) the index follows on the next open.
"""

from __future__ import annotations

import orjson

from newstui.store.ingest import pipeline as importing
from newstui.store.records.db import Store
from newstui.store.records.models import Article
from newstui.store.search import documents
from newstui.store.search.engine import OpenIndex, indexed_ids
from newstui.store.search.searcher import Searcher, rebuild_index, search

QUERIES = ["商汤", "人工智能", "stkj", "商唐科技", "德勤 合作", "上海", "title:商汤", "AI", '"人工智能"']


def results(store: Store) -> list[list[tuple[str, float]]]:
    return [[(hit.id, hit.score) for hit in search(store, q).hits] for q in QUERIES]


def ids_in_index(store: Store) -> list[str]:
    index = OpenIndex(store)
    try:
        return indexed_ids(index.searcher())
    finally:
        index.close()


def test_an_index_built_batch_by_batch_answers_like_a_rebuilt_one(tmp_path, sample_file, segmented):
    store = Store(tmp_path / "news.json")
    importing.import_sources(store, [str(sample_file)], workers=1, batch_size=2)  # five commits
    assert segmented == [], "the import segmented an article again instead of using its analysis"
    built = results(store)
    rebuild_index(store)
    assert results(store) == built
    assert all(built), "every query should find something in the sample"


def test_every_committed_batch_is_searchable_before_the_import_ends(tmp_path, sample_file):
    store = Store(tmp_path / "news.json")
    found: list[int] = []
    importing.import_sources(
        store, [str(sample_file)], workers=1, batch_size=3,
        on_progress=lambda progress: found.append(search(Store(store.path), "is:unread").total),
    )
    assert found == [3, 6, 9, 10]
    assert sorted(ids_in_index(store)) == sorted(store.ids())


def test_a_rerun_does_not_summarise_what_is_stored_already(tmp_path, sample_file, monkeypatch):
    store = Store(tmp_path / "news.json")
    importing.import_sources(store, [str(sample_file)], workers=1)
    from newstui.store.summaries import summarize

    analysed: list[str] = []
    real = summarize.analyse

    def counting(body: str, title: str = ""):
        analysed.append(title)
        return real(body, title)

    monkeypatch.setattr(summarize, "analyse", counting)
    report = importing.import_sources(Store(store.path), [str(sample_file)], workers=1)
    assert (report.added, report.duplicates, analysed) == (0, 10, [])


def test_an_article_repeated_in_both_workers_shares_is_stored_and_indexed_once(tmp_path, monkeypatch):
    rows = [{"title": f"第{i}条新闻", "body": f"这是第{i}条新闻的正文。"} for i in range(6)]
    rows.append(rows[0])  # the first share's first article, again in the second share
    source = tmp_path / "news.jsonl"
    source.write_bytes(b"".join(orjson.dumps(row) + b"\n" for row in rows))
    monkeypatch.setattr(importing, "PARALLEL_MIN_BATCH", 1)
    store = Store(tmp_path / "news.json")
    report = importing.import_sources(store, [str(source)], workers=2)
    assert (report.added, report.duplicates) == (6, 1)
    assert sorted(ids_in_index(store)) == sorted(store.ids())
    assert search(store, "第0条").total == 1


def test_articles_added_to_the_store_alone_are_caught_up_on_open(sample_store, segmented):
    sample_store.add([Article(id="e" * 16, title="齐天大圣", body="只写进了存储的文章。")])
    assert search(Store(sample_store.path), "齐天大圣").total == 1
    assert segmented == ["齐天大圣"]


def test_articles_that_left_the_store_are_deleted_from_the_index(sample_store, segmented):
    deloitte = search(sample_store, "德勤").hits[0].id
    # What the feeds branch's Store removal does to the catalogue (no such method here yet).
    with sample_store._locked():
        sample_store._articles.remove(doc_ids=[deloitte])
    reopened = Store(sample_store.path)
    assert search(reopened, "德勤").total == 0
    assert deloitte not in ids_in_index(reopened) and len(ids_in_index(reopened)) == 9
    assert segmented == [], "a removal rebuilt the index"


def test_an_article_indexed_twice_is_left_once(sample_store):
    index = OpenIndex(sample_store)
    article = next(sample_store.articles())
    with index.writer(wait=False) as writer:  # a document added without replacing the first
        writer.add(documents.document(article.id, article.title, article.body, article.date,
                                      article.source, documents.IndexWords.segmented(article.title,
                                                                                     article.body)))
        writer.commit()
    index.close()
    assert ids_in_index(sample_store).count(article.id) == 2
    Searcher(sample_store).load()
    assert ids_in_index(sample_store).count(article.id) == 1


def test_a_store_written_meanwhile_is_noticed_by_the_next_open(sample_store, segmented):
    Searcher(sample_store).load()  # in step: the record says so
    other = Store(sample_store.path)
    other.add([Article(id="f" * 16, title="孙悟空大闹天宫", body="另一个进程写入的文章。")])
    assert search(Store(sample_store.path), "孙悟空").total == 1
    assert segmented == ["孙悟空大闹天宫"]
