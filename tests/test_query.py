"""The search query language: words, phrases, exclusions and filters."""

from __future__ import annotations

import pytest

from newstui.store.search.query import QueryError, Term, parse_query


def test_words_become_terms_in_order():
    assert parse_query("商汤 SenseTime").terms == (Term("商汤"), Term("SenseTime"))


def test_a_quoted_phrase_is_one_exact_term():
    assert parse_query('"deep learning" 商汤').terms[0] == Term("deep learning", phrase=True)


def test_an_unclosed_quote_while_typing_is_still_a_phrase():
    assert parse_query('"deep lea').terms == (Term("deep lea", phrase=True),)


def test_a_leading_minus_excludes_a_word():
    query = parse_query("美颜 -vivo")
    assert query.positive == (Term("美颜"),)
    assert query.negative == (Term("vivo", negated=True),)


def test_title_prefix_restricts_a_word_to_titles():
    assert parse_query("title:德勤").terms == (Term("德勤", title_only=True),)


def test_a_bare_field_prefix_while_typing_adds_nothing():
    assert parse_query("title:").terms == ()


def test_source_filters_are_lower_cased():
    assert parse_query("source:Metro source:新华社").sources == ("metro", "新华社")


def test_partial_dates_mean_the_first_day():
    query = parse_query("after:2018-9 before:2019")
    assert (query.after, query.before) == ("2018-09-01", "2019-01-01")


def test_slashed_dates_are_accepted():
    assert parse_query("after:2018/09/26").after == "2018-09-26"


def test_a_date_that_is_not_a_date_is_a_query_error():
    with pytest.raises(QueryError, match="after:notadate"):
        parse_query("after:notadate")


def test_an_impossible_date_is_a_query_error():
    with pytest.raises(QueryError, match="no such date"):
        parse_query("before:2018-02-30")


def test_flags_filter_read_and_starred():
    query = parse_query("is:unread is:starred")
    assert (query.read, query.starred) == (False, True)


def test_the_last_of_contradicting_flags_wins():
    assert parse_query("is:read is:unread").read is False


def test_an_unknown_flag_is_a_query_error():
    with pytest.raises(QueryError, match="is:blue"):
        parse_query("is:blue")


def test_an_unknown_prefix_is_searched_as_text():
    assert parse_query("AI:未来").terms == (Term("AI:未来"),)


def test_query_errors_are_one_line():
    with pytest.raises(QueryError) as raised:
        parse_query("after:2018-13-01")
    assert "\n" not in str(raised.value)
