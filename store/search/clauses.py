"""Query words → clauses of weighted alternatives → one tantivy query.

Each word of a query (``store.search.query``) becomes a clause: the ways it may match, each with a
weight, found in the vocabulary (``store.search.vocabulary``) rather than by scanning documents: the
word itself, words containing it, English prefixes, pinyin readings, typo neighbours, and for a
Chinese run that is no word, its jieba pieces or its exact characters. A clause scores its best
alternative (a disjunction-max); every clause must match (a boolean AND), and a document scores
the sum. An alternative scores its BM25 over the body's words (or characters), plus TITLE_WEIGHT
when its text is in the title, times its weight: title hits rank above body hits, exact above
fuzzy. Quoted phrases and exclusions match exactly: characters (or English words) in order,
through the positions of the ``chars`` field.

Built for more: an alternative is any conjunction of keys, so per-clause alternatives (homophones,
partial matches) are more entries in a clause, and "k of n clauses" is the boolean query's
minimum-should-match instead of AND.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

import tantivy
from tantivy import Occur, Query

from ..text.fold import fold
from ..text.segment import CJK_RUN, WORD_RUN, is_cjk, words
from .documents import units
from .query import Term
from .vocabulary import EXPANSIONS_PER_KIND, Vocabulary, stem

# Weights of the alternatives of a clause: what was typed beats what it was expanded into.
EXACT, SUBWORD, PREFIX, PINYIN, PIECES, TYPO = 1.0, 0.85, 0.8, 0.75, 0.6, 0.7
JOINED = 0.9  # ECCV2018 for "ECCV 2018" and the other way round
PINYIN_PAIRS = 3  # ways to cut pinyin into two words tried, for pinyin that is no one word
# Words a pinyin spelling may stand for beside other query words, which pick among them:
# two-letter initials (tj, zg) fit hundreds of words, and on real news the 16 most frequent left
# the wanted one out for one initials query in ten. Alone, a spelling keeps the vocabulary's 16:
# there is nothing to pick with, and it is what most keystrokes type.
PINYIN_AMONG_WORDS = 48
PINYIN_INSIDE = 0.65  # siling → 空军司令: pinyin of a part of a word
HOMOPHONE, NEAR_HOMOPHONE = 0.6, 0.5  # 天进 → 天津 (same toneless pinyin); 正常 → 政长 (zh/z, in/ing...)
CHARACTERS = 0.5  # a word's characters in order, for an article that jieba cut differently
MAX_CHARACTER_FALLBACK = 6  # longer runs are several words: their pieces cover them
HOMOPHONE_MAX_DF = 300  # a known word in more articles than this gets no homophones
CHARACTER_FALLBACK_DF = 300  # a known word's characters are looked for if it is in at most this many
TITLE_WEIGHT = 100.0  # a title match outranks any body score
# Shorter words are not corrected: a wrong character in three is as likely another word, and
# three-character prefixes are typed on the way to most Chinese queries.
MIN_CJK_TYPO, MIN_LATIN_TYPO = 4, 3

RARE = 1  # a word in at most this many articles may be a typo of a common one
_LETTERS_THEN_DIGITS = re.compile(r"[a-z]+[0-9]+(?:\.[0-9]+)?")
_LETTERS_AND_DIGITS = re.compile(r"([a-z]{2,})([0-9]+(?:\.[0-9]+)?)|([0-9]+)([a-z]{2,})")


@dataclass(frozen=True, slots=True)
class Key:
    """Something a document must hold: a word of the ``words`` field, or units (characters,
    Latin words) in order in the ``chars`` field."""

    field: str
    units: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Alternative:
    """One way a query word can match: keys that must all be present."""

    weight: float
    keys: tuple[Key, ...]
    literals: tuple[str, ...]  # folded text to find in titles and to highlight


@dataclass(slots=True)
class Clause:
    alternatives: list[Alternative]
    title_only: bool


Known = Callable[[str], bool]  # is this word in the index?
Lazy = Callable[[], Vocabulary]  # the vocabulary, loaded when first asked for


def query_clauses(terms: Sequence[Term], known: Known, vocabulary: Lazy) -> list[Clause]:
    """The clauses of a query's positive terms, where letters and digits typed apart ("ECCV
    2018") also match the word they make joined (ECCV2018)."""
    found: list[tuple[str, Clause]] = []
    typed = [[""] if term.phrase else _units(fold(term.text)) for term in terms]
    choices = PINYIN_AMONG_WORDS if sum(map(len, typed)) > 1 else EXPANSIONS_PER_KIND
    for term, words_ in zip(terms, typed, strict=True):
        found.extend(zip(words_, clauses_of(term, known, vocabulary, choices), strict=False))
    for (first, before), (second, after) in pairwise(found):
        joined = first + second
        if _LETTERS_THEN_DIGITS.fullmatch(joined) and known(joined):
            for clause in (before, after):
                clause.alternatives.append(Alternative(JOINED, (Key("words", (joined,)),), (joined,)))
    if len(found) > 1:  # 乐视 再融资, where the article was cut 乐/视网
        for unit, clause in found:
            if _segmentation_fallback(unit, known, vocabulary):
                clause.alternatives.append(Alternative(CHARACTERS, (Key("chars", tuple(unit)),), (unit,)))
    return [clause for _, clause in found]


def _segmentation_fallback(unit: str, known: Known, vocabulary: Lazy) -> bool:
    """Should a known Chinese word of a query of several words also match its characters in
    order? Only a rare one: a phrase query over common characters costs a keystroke's budget
    (the other words' clauses keep it to fewer articles), and of a common word's thousands of
    matches the few cut differently would rank far down anyway."""
    return (1 < len(unit) <= MAX_CHARACTER_FALLBACK and bool(CJK_RUN.fullmatch(unit)) and known(unit)
            and vocabulary().df(unit) <= CHARACTER_FALLBACK_DF)


def clauses_of(
    term: Term, known: Known, vocabulary: Lazy, pinyin_choices: int = EXPANSIONS_PER_KIND
) -> list[Clause]:
    """A clause per word of a term ("ECCV论文" is two); a quoted phrase or an exclusion is one
    clause of one exact alternative. ``known`` says whether a word is in the index;
    ``vocabulary`` is asked for only when an expansion needs it; a pinyin spelling stands for
    at most ``pinyin_choices`` words."""
    folded = fold(term.text)
    if term.phrase or term.negated:
        found = units(folded)
        if not found:
            return []
        exact = Alternative(EXACT, (Key("chars", tuple(found)),), (folded.strip(),))
        return [Clause([exact], term.title_only)]
    return [Clause(_alternatives(unit, known, vocabulary, pinyin_choices), term.title_only)
            for unit in _units(folded)]


def _units(folded: str) -> list[str]:
    """Chinese runs whole, and Latin words, in order (no segmenting: runs are cut later)."""
    return [run if is_cjk(run) else run.lower() for run in WORD_RUN.findall(folded)]


def _alternatives(unit: str, known: Known, vocabulary: Lazy, pinyin_choices: int) -> list[Alternative]:
    found: list[Alternative] = []
    seen: set[str] = set()

    def add(weight: float, term: str, literal: str = "") -> None:
        if term not in seen:
            seen.add(term)
            pieces = (term,) if known(term) else vocabulary().compounds.get(term, (term,))
            keys = tuple(Key("words", (p,)) for p in pieces)
            found.append(Alternative(weight, keys, (literal or term,)))

    if len(unit) == 1:  # one character or letter: the chars field has every one
        found.append(Alternative(EXACT, (Key("chars", (unit,)),), (unit,)))
    elif known(unit):
        add(EXACT, unit)
    if CJK_RUN.fullmatch(unit):
        if len(unit) > 1:
            _chinese_expansions(unit, known, vocabulary, add, seen, found)
        return found
    for term in vocabulary().with_prefix(stem(unit)):
        add(PREFIX, term)
    for term in vocabulary().pinyin(unit, pinyin_choices):
        add(PINYIN, term)
    if not seen:  # waiziyinhang: the pinyin of two words, 外资 + 银行
        found.extend(_pinyin_pairs(unit, vocabulary()))
    for term in vocabulary().pinyin_inside(unit):
        add(PINYIN_INSIDE, term)
    if len(unit) >= MIN_LATIN_TYPO and (not seen or vocabulary().df(unit) <= RARE):
        for term, score in vocabulary().typos(unit):
            add(TYPO * score / 100, term)
    if split := _LETTERS_AND_DIGITS.fullmatch(unit):  # iPhone14 where the article says iPhone 14
        parts = tuple(part for part in split.groups() if part)
        found.append(Alternative(JOINED, (Key("chars", parts),), (unit,)))
    return found


def _chinese_expansions(
    run: str, known: Known, vocabulary: Lazy, add: Callable[..., None], seen: set[str],
    found: list[Alternative],
) -> None:
    """Words containing a Chinese run, its homophones and typos, its characters in order, and
    for a run that is no word, its pieces."""
    # A word that holds the run is matched by the run's characters: 德勤 in "而德勤" (jieba cut
    # "而" onto it) is found in titles and highlighted as 德勤.
    for term in vocabulary().containing(run):
        add(SUBWORD, term, literal=run)
    exact = bool(seen)
    # A word in many articles is meant as typed; a homophone typo is one few articles have.
    if not exact or vocabulary().df(run) <= HOMOPHONE_MAX_DF:
        for term, same in vocabulary().homophones(run):
            add(HOMOPHONE if same else NEAR_HOMOPHONE, term)
    # Typos only for what the vocabulary does not know ("did you mean"): a known word needs
    # no correcting, and this keeps rapidfuzz off most keystrokes.
    if len(run) >= MIN_CJK_TYPO and not exact:
        for term, score in vocabulary().typos(run):
            add(TYPO * score / 100, term)
    characters = Alternative(CHARACTERS if exact else EXACT, (Key("chars", tuple(run)),), (run,))
    if known(run):  # its characters too, in a query of several words: see query_clauses
        return
    pieces = _pieces(run, known)
    words_ = [key.units[0] for key in pieces.keys if key.field == "words"]
    if not words_:  # no word in or around it: its characters, wherever jieba cut them
        found.append(characters)
        return
    found.append(pieces)
    if len(run) <= MAX_CHARACTER_FALLBACK and min(map(vocabulary().df, words_)) <= CHARACTER_FALLBACK_DF:
        found.append(characters)


def _pinyin_pairs(typed: str, vocabulary: Vocabulary) -> list[Alternative]:
    """Two words whose pinyin, one after the other, is what was typed: the best pair of each
    way to cut it, longest first part first, at most PINYIN_PAIRS."""
    found: list[Alternative] = []
    for cut in range(len(typed) - 2, 1, -1):
        first, second = vocabulary.pinyin(typed[:cut]), vocabulary.pinyin(typed[cut:])
        if first and second:
            keys = tuple(Key("words", (word,)) for term in (first[0], second[0])
                         for word in vocabulary.compounds.get(term, (term,)))
            found.append(Alternative(PINYIN * PIECES, keys, (first[0] + second[0],)))
            if len(found) == PINYIN_PAIRS:
                break
    return found


def _pieces(run: str, known: Known) -> Alternative:
    """A Chinese run that is not one word: all of its jieba words must be there.

    Exact when every piece is a known word (商汤科技 → 商汤 + 科技); otherwise the unknown
    pieces are matched as characters, for text jieba cuts differently in the article.
    """
    keys: list[Key] = []
    weight = EXACT
    for piece in words(run):  # a Chinese run: jieba's words
        if len(piece) > 1 and known(piece):
            keys.append(Key("words", (piece,)))
        else:
            keys.append(Key("chars", tuple(piece)))
            weight = PIECES
    return Alternative(weight, tuple(keys), (run,))


# -- compiling to tantivy ---------------------------------------------------------------------


def clause_query(schema: tantivy.Schema, clause: Clause) -> Query:
    """The best of a clause's alternatives (nothing matches a clause without any)."""
    queries = [_alternative_query(schema, a, clause.title_only) for a in clause.alternatives]
    if not queries:
        return Query.empty_query()
    return queries[0] if len(queries) == 1 else Query.disjunction_max_query(queries)


def every(queries: Sequence[Query]) -> Query:
    """All of the queries (their scores add up)."""
    if len(queries) == 1:
        return queries[0]
    return Query.boolean_query([(Occur.Must, q) for q in queries])


def _alternative_query(schema: tantivy.Schema, alternative: Alternative, title_only: bool) -> Query:
    body = every([_units_query(schema, key.field, key.units) for key in alternative.keys])
    if alternative.keys == (Key("words", alternative.literals),):  # a word: the title's words
        title_parts = [Query.term_query(schema, "title_words", alternative.literals[0], index_option="basic")]
    else:  # anything else: its characters in order in the title
        in_title = [tuple(units(literal)) for literal in alternative.literals]
        title_parts = [_units_query(schema, "title", found) for found in in_title if found]
    if title_parts:
        title = Query.const_score_query(every(title_parts), TITLE_WEIGHT)
        occur = Occur.Must if title_only else Occur.Should
        query = Query.boolean_query([(occur, title), (Occur.Should, body)])
    else:
        query = Query.empty_query() if title_only else body
    return query if alternative.weight == 1 else Query.boost_query(query, alternative.weight)


def _units_query(schema: tantivy.Schema, field: str, found: tuple[str, ...]) -> Query:
    if len(found) == 1:
        return Query.term_query(schema, field, found[0], index_option="freq")
    return Query.phrase_query(schema, field, list(found))


def literals(clauses: Sequence[Clause]) -> tuple[str, ...]:
    """Every text the clauses may have matched, longest first (for highlighting)."""
    found = {lit for clause in clauses for alt in clause.alternatives for lit in alt.literals if lit}
    return tuple(sorted(found, key=lambda lit: (-len(lit), lit)))
