"""Exact phrases beside a brute-force scan of the same articles: every article holding a phrase
is found and none without it, for phrases cut anywhere from the text (most cross jieba's word
boundaries), half of them with two neighbours swapped."""

from __future__ import annotations

from benchmarks.corpus import synthetic_articles, vocabulary
from benchmarks.phrase_recall import draw_phrases, measure, scanned_texts
from newstui.store.records.models import Article, article_id
from newstui.store.search.searcher import update_index

ENGLISH = [
    ("Cup final", "Despite losing the first leg, the club went through.\nThe U.S. side lost 2-1."),
    ("Season review", "Losing despite a late goal was hard. The club's season ends."),
]


def test_phrases_find_exactly_the_articles_a_scan_finds(sample_store):
    extra = [Article(id=article_id(a["title"], a["body"]), **a) for a in synthetic_articles(150, chars=600)]
    extra += [Article(id=article_id(title, body), title=title, body=body) for title, body in ENGLISH]
    sample_store.add(extra)
    update_index(sample_store)
    texts = scanned_texts(sample_store)
    phrases = draw_phrases(texts, 160)
    result = measure(sample_store, phrases, texts)
    assert result.expected > 100  # the drawn phrases do occur (and the swapped ones mostly not)
    assert result.misses == []


def test_a_phrase_whose_first_piece_ends_hundreds_of_words(sample_store):
    # tantivy refuses a regex of over 1,000 states: the words ending with 国 are too many to list
    words = [word for word in vocabulary()[0] if word.endswith("国") and len(word) > 1][:600]
    body = "，".join(f"{word}人民" for word in words)
    sample_store.add([Article(id=article_id("国", body), title="各国", body=body)])
    update_index(sample_store)
    texts = scanned_texts(sample_store)
    assert measure(sample_store, ["国人", "国人民"], texts).misses == []
