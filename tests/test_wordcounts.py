"""Words counted in bulk by their 64-bit keys must count exactly what a Counter would."""

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from store.wordcounts import counted, word_keys

# Latin words, CJK words, and words whose stored bytes coincide across string kinds.
_WORDS = st.sampled_from(["of", "景", "ab", "\u6261", "é", "\u00e9\u00e9", "新闻", "ofof", "景景", "a", "1"])



def _as_counter(bag) -> Counter:
    return Counter(dict(zip(bag.words, bag.counts.tolist(), strict=True)))


@given(st.lists(_WORDS | st.text(max_size=4)))
def test_counting_matches_a_counter(tokens):
    bag, numbers = counted(tokens)
    assert _as_counter(bag) == Counter(tokens)
    assert [tokens[n] for n in bag.first.tolist()] == bag.words
    assert bag.keys.tolist() == sorted(bag.keys.tolist())
    assert [bag.words[n] for n in numbers.tolist()] == tokens


def test_strings_with_the_same_bytes_in_different_widths_get_different_keys():
    # CPython hashes the stored bytes: "of" (1 byte a character) and 景 U+666F (2 bytes) alike.
    assert hash("of") == hash("景")
    assert len(set(word_keys(["of", "景", "ofof", "景景", "𝔸"]).tolist())) == 5


@given(st.lists(_WORDS), st.lists(_WORDS))
def test_adding_counts_matches_a_counter(first, second):
    mine, other = counted(first)[0], counted(second)[0]
    merged, positions = mine.plus(other)
    assert _as_counter(merged) == Counter(first) + Counter(second)
    assert [merged.words[p] for p in positions.tolist()] == mine.words + other.words
    assert [(first + second)[n] for n in merged.first.tolist()] == merged.words
