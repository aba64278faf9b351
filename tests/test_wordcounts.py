"""Words counted in bulk by their 64-bit keys must count exactly what a Counter would."""

import os
import subprocess
import sys
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from newstui.store.summaries.wordcounts import counted, word_keys

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
    # "of" (1 byte a character) and 景 U+666F (2 bytes) have the same bytes in CPython's storage.
    assert len(set(word_keys(["of", "景", "ofof", "景景", "𝔸", "", "\x00", "a\x00b"]).tolist())) == 8


def test_keys_are_the_same_in_every_process():
    # Not Python's string hash, which is salted per process: keys decide the order of words.
    code = ("from newstui.store.summaries.wordcounts import word_keys\n"
            "print(word_keys(['商汤', 'of', '景', '']).tolist())")
    keys = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2", "3")
    }
    assert len(keys) == 1


@given(st.lists(st.text(max_size=5)))
def test_keys_do_not_depend_on_the_other_words(words):
    # Joined with NULs for speed; a word holding a NUL must not shift the others.
    assert word_keys(words).tolist() == [word_keys([word])[0] for word in words]


@given(st.lists(_WORDS), st.lists(_WORDS))
def test_adding_counts_matches_a_counter(first, second):
    mine, other = counted(first)[0], counted(second)[0]
    merged, positions = mine.plus(other)
    assert _as_counter(merged) == Counter(first) + Counter(second)
    assert [merged.words[p] for p in positions.tolist()] == mine.words + other.words
    assert [(first + second)[n] for n in merged.first.tolist()] == merged.words
