"""The Searcher on the sample store: matching, ranking, filters, highlighting, the index."""

from __future__ import annotations

import shutil
import threading

import pytest

from newstui.store.records.db import Store
from newstui.store.records.models import Article
from newstui.store.search import indexing
from newstui.store.search.engine import FORMAT
from newstui.store.search.searcher import (
    QueryError,
    Searcher,
    highlight_spans,
    rebuild_index,
    search,
    update_index,
)

DELOITTE = "商汤科技与德勤签署战略合作协议 开启人工智能领域多项深度合作"
SCHOLARSHIP = "2018年商汤奖学金申报开始"


@pytest.fixture
def searcher(sample_store) -> Searcher:
    searcher = Searcher(sample_store)
    searcher.load()
    return searcher


def titles(searcher: Searcher, query: str, **options) -> list[str]:
    hits = searcher.search(query, **options).hits
    return [searcher.store.entry(hit.id).title for hit in hits]


def test_a_title_word_ranks_its_article_first(searcher):
    assert titles(searcher, "德勤")[0] == DELOITTE


def test_title_spans_point_at_the_matched_word(searcher):
    hit = searcher.search("德勤").hits[0]
    assert [DELOITTE[start:end] for start, end in hit.title_spans] == ["德勤"]


def test_a_word_only_in_a_body_is_found(searcher):
    assert titles(searcher, "曾顺福") == [DELOITTE]


def test_hit_terms_highlight_the_body(searcher, sample_store):
    hit = searcher.search("曾顺福").hits[0]
    body = sample_store.body(hit.id)
    assert {body[start:end] for start, end in highlight_spans(body, hit.terms)} == {"曾顺福"}


def test_a_word_found_inside_a_longer_segmented_word_highlights_only_what_was_typed(searcher, sample_store):
    hit = searcher.search("德勤").hits[0]
    body = sample_store.body(hit.id)
    assert "而德勤" in body  # jieba cuts it as one word
    assert {body[start:end] for start, end in highlight_spans(body, hit.terms)} == {"德勤"}


def test_a_mistyped_name_still_finds_it(searcher):
    assert "商汤" in titles(searcher, "商唐科技")[0]


def test_full_pinyin_finds_chinese(searcher):
    assert titles(searcher, "deqin")[0] == DELOITTE


def test_pinyin_initials_find_a_title_compound(searcher):
    hits = searcher.search("stkj").hits
    assert "商汤科技" in hits[0].terms


def test_traditional_characters_find_simplified_text(searcher):
    assert titles(searcher, "獎學金")[0] == SCHOLARSHIP


def test_english_words_match_case_insensitively(searcher):
    assert titles(searcher, "SENSECARE") == titles(searcher, "sensecare") != []


def test_an_english_prefix_matches_while_typing(searcher):
    assert "sensecare" in searcher.search("sensec").hits[0].terms


def test_words_are_anded(searcher):
    assert titles(searcher, "美颜 vivo") == ["不止美颜，更能美体 商汤SenseAR助力vivo X23”创造更多美”"]


def test_an_excluded_word_removes_articles(searcher):
    assert "不止美颜，更能美体 商汤SenseAR助力vivo X23”创造更多美”" not in titles(searcher, "美颜 -vivo")


def test_a_quoted_phrase_is_not_corrected(searcher):
    assert searcher.search('"商唐科技"').hits == []


def test_an_unknown_word_finds_nothing(searcher):
    result = searcher.search("deloitte")
    assert (result.hits, result.total) == ([], 0)


def test_an_empty_query_lists_everything_newest_first(searcher, sample_store):
    result = searcher.search("")
    assert result.total == 10
    assert [hit.id for hit in result.hits] == [entry.id for entry in sample_store.entries()]


def test_the_limit_caps_hits_but_not_the_total(searcher):
    result = searcher.search("商汤", limit=3)
    assert (len(result.hits), result.total) == (3, 10)


def test_date_filters_keep_the_range(searcher):
    assert titles(searcher, "after:2018-09-20 before:2018-09-21") == [
        "科技部正式宣布 依托商汤建设智能视觉国家新一代人工智能开放创新平台"
    ]


def test_flags_are_picked_up_by_refresh(searcher, sample_store):
    deloitte = next(e.id for e in sample_store.entries() if e.title == DELOITTE)
    sample_store.set_flags(deloitte, starred=True, read=True)
    searcher.refresh()
    assert titles(searcher, "is:starred") == [DELOITTE]
    assert DELOITTE not in titles(searcher, "is:unread")


def test_title_only_words_ignore_bodies(searcher):
    assert titles(searcher, "title:德勤") == [DELOITTE]
    assert titles(searcher, "title:曾顺福") == []


def test_sorting_by_date_puts_the_newest_first(searcher, sample_store):
    dated = [e.id for e in sample_store.entries() if e.date]
    assert [hit.id for hit in searcher.search("商汤", sort="date").hits][:3] == dated[:3]


def test_sorting_by_title_is_alphabetical(searcher):
    found = titles(searcher, "商汤", sort="title")
    assert found == sorted(found)


def test_an_unknown_sort_is_refused(searcher):
    with pytest.raises(ValueError, match="sort"):
        searcher.search("商汤", sort="random")


def test_a_bad_filter_raises_a_query_error(searcher):
    with pytest.raises(QueryError):
        searcher.search("after:notadate")


def test_one_shot_search_loads_the_index_itself(sample_store):
    assert search(sample_store, "德勤").total == 1


def test_new_imports_appear_after_refresh(searcher, sample_store, segmented):
    sample_store.add([Article(id="new1", title="旷视科技发布新品", body="旷视今天发布了新的摄像头。")])
    searcher.refresh()
    assert titles(searcher, "旷视") == ["旷视科技发布新品"]
    assert segmented == ["旷视科技发布新品"]  # caught up, not rebuilt


def test_update_index_adds_only_the_new_articles(sample_store, segmented):
    sample_store.add([Article(id="new2", title="新的一篇", body="齐天大圣的新闻。")])
    update_index(sample_store)
    assert segmented == ["新的一篇"]
    assert search(sample_store, "齐天大圣").total == 1


def tantivy_home(store: Store):
    folder = store.index_dir / f"tantivy-{FORMAT}"
    assert (folder / "meta.json").exists()
    return folder


def test_a_loaded_index_is_not_written_again(sample_store, segmented):
    meta = tantivy_home(sample_store) / "meta.json"
    before = meta.stat().st_mtime_ns
    Searcher(sample_store).load()
    assert meta.stat().st_mtime_ns == before and segmented == []


def test_a_damaged_index_is_rebuilt(sample_store):
    folder = tantivy_home(sample_store)
    for path in folder.glob("*.idx"):
        path.write_bytes(b"not an index")
    assert search(sample_store, "德勤").total == 1


def test_an_unreadable_index_description_is_rebuilt(sample_store):
    (tantivy_home(sample_store) / "meta.json").write_text("junk")
    assert search(sample_store, "德勤").total == 1


def test_a_missing_index_is_built(sample_store_path):
    store = Store(sample_store_path)
    shutil.rmtree(store.index_dir)
    assert search(store, "德勤").total == 1


def test_files_of_the_engine_before_tantivy_are_removed(sample_store):
    old = [sample_store.index_dir / name for name in ("manifest.json", "segment-000001.idx", "lock")]
    for path in old:
        path.write_bytes(b"old")
    rebuild_index(sample_store)
    assert not any(path.exists() for path in old)
    assert search(sample_store, "德勤").total == 1


def test_rebuilding_gives_the_same_results(searcher, sample_store):
    before = [(hit.id, hit.score) for hit in searcher.search("人工智能").hits]
    rebuild_index(sample_store)
    assert [(hit.id, hit.score) for hit in search(sample_store, "人工智能", limit=200).hits] == before


def test_a_parallel_build_matches_a_serial_one(sample_store, monkeypatch):
    serial = [(hit.id, hit.score) for hit in search(sample_store, "商汤 人工智能").hits]
    monkeypatch.setattr(indexing, "PARALLEL_MIN_ARTICLES", 0)
    monkeypatch.setattr(indexing, "CHUNK_ARTICLES", 3)  # four worker tasks, taken in order
    rebuild_index(sample_store)
    assert [(hit.id, hit.score) for hit in search(sample_store, "商汤 人工智能").hits] == serial


def test_searching_while_refreshing_is_safe(searcher, sample_store):
    errors: list[BaseException] = []

    def keep_searching() -> None:
        try:
            for query in ["商汤", "德勤", "stkj", "人工智能 上海"] * 10:
                searcher.search(query)
        except BaseException as error:
            errors.append(error)

    readers = [threading.Thread(target=keep_searching) for _ in range(2)]
    for reader in readers:
        reader.start()
    for number in range(3):
        sample_store.add([Article(id=f"r{number}", title=f"刷新{number}", body="并发测试。")])
        searcher.refresh()
    for reader in readers:
        reader.join()
    assert errors == []


def test_a_limit_beyond_the_matches_lists_every_match(searcher):
    result = searcher.search("商汤", limit=100)
    assert len({hit.id for hit in result.hits}) == result.total == 10
    assert all(hit.score > 0 for hit in result.hits)


def test_equal_scores_go_to_the_newer_article(tmp_path):
    store = Store(tmp_path / "news.json")
    store.add([Article(id=f"same{year}", title="同题", body="同样的正文。", date=f"{year}-01-01")
               for year in (2020, 2018, 2019)])
    hits = search(store, "正文", limit=2).hits
    assert [hit.id for hit in hits] == ["same2020", "same2019"]
    assert hits[0].score == pytest.approx(hits[1].score, rel=1e-3)
