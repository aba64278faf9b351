"""How an import builds the search index: a segment per committed batch, merged as it goes.

The index an import leaves must answer exactly as one rebuilt from the stored articles; every
batch it commits must be searchable at once; and nothing is indexed twice or analysed again.
"""

from __future__ import annotations

import orjson
import pytest

from store import importing
from store import search as search_module
from store.db import Store
from store.index import ChunkBuilder, Doc, Manifest, Segment, terms_of, write_segment
from store.search import rebuild_index, search

QUERIES = ["商汤", "人工智能", "stkj", "商唐科技", "德勤 合作", "上海", "title:商汤", "AI"]


def results(store: Store) -> list[list[tuple[str, float]]]:
    return [[(hit.id, round(hit.score, 9)) for hit in search(store, q).hits] for q in QUERIES]


def indexed_ids(store: Store) -> list[str]:
    manifest = Manifest.read(store.index_dir)
    assert manifest is not None
    ids: list[str] = []
    for name in manifest.segments:
        segment = Segment(store.index_dir / name)
        ids.extend(segment.ids)
        segment.close()
    return ids


def test_an_index_built_batch_by_batch_answers_like_a_rebuilt_one(tmp_path, sample_file, monkeypatch):
    store = Store(tmp_path / "news.json")
    # A segment per batch of two: five segments, four of them merged on the way, then all.
    monkeypatch.setattr(search_module, "FLUSH_POSTINGS", 1)
    importing.import_sources(store, [str(sample_file)], workers=1, batch_size=2)
    assert len(Manifest.read(store.index_dir).segments) == 1
    built = results(store)
    rebuild_index(store)
    assert results(store) == built
    assert all(built), "every query should find something in the sample"


def test_every_committed_batch_is_searchable_before_the_import_ends(tmp_path, sample_file):
    # A search during the import indexes what is committed but not yet written by the import,
    # which must then leave those articles out: each article ends up in the index once.
    store = Store(tmp_path / "news.json")
    found: list[int] = []
    importing.import_sources(
        store, [str(sample_file)], workers=1, batch_size=3,
        on_progress=lambda progress: found.append(search(Store(store.path), "").total),
    )
    assert found == [3, 6, 9, 10]
    ids = indexed_ids(store)
    assert sorted(ids) == sorted(store.ids())


def test_a_rerun_does_not_summarise_what_is_stored_already(tmp_path, sample_file, monkeypatch):
    store = Store(tmp_path / "news.json")
    importing.import_sources(store, [str(sample_file)], workers=1)
    from store import summarize

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
    ids = indexed_ids(store)
    assert (report.added, report.duplicates) == (6, 1)
    assert sorted(ids) == sorted(store.ids())
    assert search(store, "第0条").total == 1


def test_dropping_an_article_from_a_chunk_renumbers_the_rest(tmp_path):
    articles = [("甲", "苹果香蕉。"), ("乙", "香蕉橘子。"), ("丙", "橘子葡萄。")]
    builder = ChunkBuilder()
    for number, (title, body) in enumerate(articles):
        builder.add(Doc(f"id{number}", title, "", ""), terms_of(title, body))
    chunk = builder.build().without({"id1"})
    path = tmp_path / "segment-000001.idx"
    write_segment(path, [chunk])
    segment = Segment(path)
    assert segment.ids == ["id0", "id2"]
    assert segment.bits("body", "香蕉") == 0b01  # only id0 now, as document 0
    assert segment.bits("body", "橘子") == 0b10  # id2 is document 1
    assert segment.bits("title", "乙") == 0
    segment.close()


@pytest.mark.parametrize("repeats", [1, 300])
def test_term_frequencies_are_kept_and_capped_at_255(tmp_path, repeats):
    builder = ChunkBuilder()
    builder.add(Doc("a", "标题", "", ""), terms_of("标题", "香蕉。" * repeats))
    path = tmp_path / "segment-000001.idx"
    write_segment(path, [builder.build()])
    segment = Segment(path)
    docs, frequencies = segment.body_postings("香蕉")
    assert (list(docs), list(frequencies)) == ([0], [min(repeats, 255)])
    segment.close()


def test_the_title_pairs_of_merged_segments_add_up(tmp_path, sample_file, monkeypatch):
    store = Store(tmp_path / "news.json")
    monkeypatch.setattr(search_module, "FLUSH_POSTINGS", 1)
    importing.import_sources(store, [str(sample_file)], workers=1, batch_size=2)
    [name] = Manifest.read(store.index_dir).segments
    segment = Segment(store.index_dir / name)
    pairs = segment.title_pairs()
    segment.close()
    rebuild_index(store)
    [name] = Manifest.read(store.index_dir).segments
    segment = Segment(store.index_dir / name)
    assert pairs == segment.title_pairs() and sum(pairs.values()) > len(pairs)
    segment.close()
