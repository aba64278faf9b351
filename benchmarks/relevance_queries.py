"""Known-item queries, made deterministically from each article's human-written summary or headline.

The rule (one query of each kind per article, where the article allows it):

1. The summary is folded and segmented as newstui does (``fold``, then ``words``). Its
   candidate words are the Chinese words of 2+ characters, and the English words of 3+ letters
   that are not stop words, that also occur in the wanted article, so every query is well posed.
   A Chinese word occurs when its characters appear in the article; it is a *token* when the
   article's own segmentation has it, *inside* a token when it only appears within a longer one
   (司令 in 空军司令), and *across* tokens otherwise (乐视 in an article cut 乐/视网). An English
   word occurs when it is one of the article's words.
2. Two words are drawn without replacement, with weight idf = log(1 + N / df), where df is the
   number of articles in which the word occurs: rare, distinctive words are preferred, as a
   person remembering a story would type them. The query lists them in the summary's order.
3. The exact query (``zh exact``, ``en exact``) draws both words from the tokens. Its variants
   change one of its words, or the whole query, and nothing else, so each kind measures one
   thing against the same exact query:
   - ``zh homophone``: one character of one word replaced by another common character with the
     same toneless pinyin (the mistake a pinyin input method makes: 天进 for 天津). The
     replacement is one of the six most frequent of the 3,500 most common characters (by
     jieba's dictionary) with that reading, not a variant form of the same character, and the
     new word has the same pinyin as the old one and does not occur in the wanted article;
   - ``zh pinyin``: one word written as its full toneless pinyin (天津 → tianjin, ü as v);
   - ``zh pinyin initials``: one word written as the initials of its syllables (天津 → tj);
   - ``zh traditional``: the whole query in traditional characters (zhconv ``zh-hant``), kept
     only when that changes it and converts back to the exact query;
   - ``en typo``: one word of 4+ letters with one edit: a substitution or insertion of a
     neighbouring key (QWERTY), a deletion, or a transposition of two adjacent letters; the
     result is not a word of any English article.
4. Queries for words the article segments differently pair one such word with a token word:
   ``zh inside token`` and ``zh across tokens`` keep it in Chinese, ``zh pinyin inside`` writes
   it in full pinyin (siling for 空军司令).
5. ``letters+digits``: a letters-and-digits name in the summary (ECCV 2018, iPhone6, MH370: the
   letters in capitals or mixed case, so "in 2011" is not one) written the other way from the
   article's (joined when the article spaces it, spaced when the article joins it), with a token
   word of the summary beside it when there is one.

Randomness comes from ``random.Random(f"{seed}/{article key}/{kind}")``: the same seed gives the
same queries on any machine, whatever else the data holds.
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import zhconv
from pypinyin import Style, lazy_pinyin, pinyin

from benchmarks.corpus import vocabulary
from benchmarks.relevance_data import EvalArticle
from newstui.store.text.fold import fold
from newstui.store.text.segment import CJK, words

ZH_EXACT, EN_EXACT = "zh exact", "en exact"
ZH_HOMOPHONE, ZH_PINYIN, ZH_INITIALS = "zh homophone", "zh pinyin", "zh pinyin initials"
ZH_TRADITIONAL, EN_TYPO = "zh traditional", "en typo"
ZH_INSIDE, ZH_ACROSS, ZH_PINYIN_INSIDE = "zh inside token", "zh across tokens", "zh pinyin inside"
LETTERS_DIGITS = "letters+digits"
KINDS = (
    ZH_EXACT, ZH_HOMOPHONE, ZH_PINYIN, ZH_INITIALS, ZH_TRADITIONAL, ZH_PINYIN_INSIDE, ZH_INSIDE,
    ZH_ACROSS, EN_EXACT, EN_TYPO, LETTERS_DIGITS,
)

COMMON_CHARACTERS = 3500  # the size of the 现代汉语常用字表
IME_CANDIDATES = 6  # how far down an input method's list a slip lands
MIN_TYPO_LETTERS = 4
_CJK_CHARACTER = re.compile(f"[{CJK}]")
_CJK_WORD = re.compile(f"[{CJK}]{{2,8}}")
_ENGLISH_WORD = re.compile("[a-z]{3,}")
_LETTERS_DIGITS = re.compile(r"(?<![a-z0-9])([a-z]{2,}) ?([0-9]+(?:\.[0-9]+)?)(?![0-9a-z])")
_KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_ROW_OFFSETS = (0.0, 0.25, 0.75)
# The commonest function words; idf already disfavours the rest.
STOPWORDS = frozenset({
    "the", "and", "for", "are", "but", "not", "you", "all", "any", "can", "had", "her", "was",
    "one", "our", "out", "has", "have", "him", "his", "how", "its", "may", "new", "now", "old",
    "see", "two", "who", "did", "get", "let", "put", "say", "she", "too", "use", "that", "this",
    "with", "from", "they", "will", "would", "there", "their", "what", "about", "which", "when",
    "make", "like", "than", "then", "them", "these", "some", "into", "just", "over", "also",
    "after", "more", "most", "only", "such", "very", "been", "were", "being", "said", "says",
})


@dataclass(frozen=True, slots=True)
class Query:
    kind: str
    text: str  # what is typed
    target: str  # the wanted article's key
    exact: str  # the two summary words it was made from, as typed without a change
    changed: str = ""  # the word changed, as in the summary ("" when none was)
    typed: str = ""  # what that word became
    note: str = ""  # how: "inside 空军司令", "transposition", "joined in the article", ...


@dataclass(frozen=True, slots=True)
class Analysed:
    """An article as the index sees it: folded text and newstui's words (BM25 uses them too)."""

    article: EvalArticle
    folded: str
    tokens: tuple[str, ...]
    token_set: frozenset[str]


def analyse(article: EvalArticle) -> Analysed:
    title, body = fold(article.title), fold(article.body)
    tokens = words(title) + words(body)
    return Analysed(article, title + "\n" + body, tuple(tokens), frozenset(tokens))


@dataclass(frozen=True, slots=True)
class _Word:
    text: str
    idf: float
    place: str = "token"  # token | inside | across
    container: str = ""  # the longer token an inside word sits in


class QueryMaker:
    """Makes every query for a corpus; one instance holds the corpus-wide document frequencies."""

    def __init__(self, corpus: Sequence[Analysed], seed: int = 14) -> None:
        self.corpus = corpus
        self.seed = seed
        self._token_df = Counter(token for item in corpus for token in item.token_set)
        self._zh_texts = [item.folded for item in corpus if item.article.lang == "zh"]
        self._substring_df: dict[str, int] = {}
        self.english_vocabulary = frozenset(
            token for item in corpus if item.article.lang == "en" for token in item.token_set
        )

    def queries(self) -> list[Query]:
        return [query for item in self.corpus for query in self.for_article(item)]

    def for_article(self, item: Analysed) -> list[Query]:
        reference = words(fold(item.article.reference))
        made: list[Query | None] = []
        if item.article.lang == "zh":
            made += self._chinese(item, reference)
        elif item.article.lang == "en":
            made += self._english(item, reference)
        made.append(self._letters_digits(item, reference))
        return [query for query in made if query is not None]

    # -- Chinese --------------------------------------------------------------------------------

    def _chinese(self, item: Analysed, reference: list[str]) -> list[Query | None]:
        found = self._chinese_words(item, reference)
        tokens = [word for word in found if word.place == "token"]
        made: list[Query | None] = []
        pair = self._draw(tokens, 2, item, ZH_EXACT)
        if len(pair) == 2:
            exact = _joined(pair)
            made.append(Query(ZH_EXACT, exact, item.article.key, exact))
            made.append(self._homophone(item, pair, exact))
            for kind in (ZH_PINYIN, ZH_INITIALS):
                word = self._rng(item, kind).choice(pair)
                typed = _pinyin(word.text, initials=kind == ZH_INITIALS)
                if typed:
                    made.append(_replacing(kind, item, pair, word, typed, exact))
            traditional = zhconv.convert(exact, "zh-hant")
            if traditional != exact and zhconv.convert(traditional, "zh-cn") == exact:
                made.append(Query(ZH_TRADITIONAL, traditional, item.article.key, exact, exact, traditional))
        for kind, place in ((ZH_INSIDE, "inside"), (ZH_ACROSS, "across"), (ZH_PINYIN_INSIDE, "inside")):
            # Drawn by place, so the pinyin and the Chinese query share their words.
            odd = self._draw([word for word in found if word.place == place], 1, item, place)
            others = [word for word in tokens if odd and word.text not in odd[0].text]
            partner = self._draw(others, 1, item, place)
            if not odd or not partner:
                continue
            chosen = sorted([*odd, *partner], key=lambda word: found.index(word))
            exact, word = _joined(chosen), odd[0]
            typed = _pinyin(word.text) if kind == ZH_PINYIN_INSIDE else word.text
            note = f"inside {word.container}" if place == "inside" else "across the article's tokens"
            if typed:
                made.append(_replacing(kind, item, chosen, word, typed, exact, note))
        return made

    def _chinese_words(self, item: Analysed, reference: list[str]) -> list[_Word]:
        found: list[_Word] = []
        seen: set[str] = set()
        for text in reference:
            if text in seen or not _CJK_WORD.fullmatch(text) or text not in item.folded:
                continue
            seen.add(text)
            idf = self._idf(self._chinese_df(text), len(self._zh_texts))
            if text in item.token_set:
                found.append(_Word(text, idf))
                continue
            containers = sorted(token for token in item.token_set if text in token and token != text)
            if containers:
                found.append(_Word(text, idf, "inside", containers[0]))
            else:
                found.append(_Word(text, idf, "across"))
        return found

    def _chinese_df(self, text: str) -> int:
        if text not in self._substring_df:
            self._substring_df[text] = sum(1 for folded in self._zh_texts if text in folded)
        return self._substring_df[text]

    def _homophone(self, item: Analysed, pair: list[_Word], exact: str) -> Query | None:
        rng = self._rng(item, ZH_HOMOPHONE)
        for word in rng.sample(pair, len(pair)):
            typed = homophone_typo(word.text, rng, item.folded)
            if typed is not None:
                return _replacing(ZH_HOMOPHONE, item, pair, word, typed, exact)
        return None

    # -- English --------------------------------------------------------------------------------

    def _english_words(self, item: Analysed, reference: list[str]) -> list[_Word]:
        return [
            _Word(text, self._idf(self._token_df[text], len(self.corpus)))
            for text in dict.fromkeys(reference)
            if text not in STOPWORDS and _ENGLISH_WORD.fullmatch(text) and text in item.token_set
        ]

    def _candidates(self, item: Analysed, reference: list[str]) -> list[_Word]:
        """The summary's words that are tokens of the article, in its language."""
        if item.article.lang == "zh":
            return [word for word in self._chinese_words(item, reference) if word.place == "token"]
        return self._english_words(item, reference)

    def _english(self, item: Analysed, reference: list[str]) -> list[Query | None]:
        pair = self._draw(self._english_words(item, reference), 2, item, EN_EXACT)
        if len(pair) < 2:
            return []
        exact = _joined(pair)
        made: list[Query | None] = [Query(EN_EXACT, exact, item.article.key, exact)]
        rng = self._rng(item, EN_TYPO)
        for word in rng.sample(pair, 2):
            typo = english_typo(word.text, rng, self.english_vocabulary)
            if typo is not None:
                made.append(_replacing(EN_TYPO, item, pair, word, typo[0], exact, typo[1]))
                break
        return made

    # -- letters and digits -----------------------------------------------------------------------

    def _letters_digits(self, item: Analysed, reference: list[str]) -> Query | None:
        summary = fold(item.article.reference)  # one character for one: offsets still fit
        for match in _LETTERS_DIGITS.finditer(summary):
            letters, digits = match.groups()
            spelled = item.article.reference[match.start(1) : match.end(1)]
            if spelled.islower() or spelled.istitle():
                continue  # a name (ECCV, iPhone, MH), not words before a number ("in 2011")
            number = re.escape(digits)
            joined = re.search(rf"(?<![a-z0-9]){letters}{number}(?![0-9])", item.folded)
            spaced = re.search(rf"(?<![a-z0-9]){letters}\s+{number}(?![0-9])", item.folded)
            if bool(joined) == bool(spaced):
                continue  # absent, or written both ways: no mismatch to measure
            typed = f"{letters} {digits}" if joined else f"{letters}{digits}"
            written = f"{letters}{digits}" if joined else f"{letters} {digits}"
            name = _Word(written, 0.0)
            others = [word for word in self._candidates(item, reference) if letters not in word.text]
            partner = self._draw(others, 1, item, LETTERS_DIGITS)
            chosen = [name, *partner]
            note = "joined in the article" if joined else "spaced in the article"
            return _replacing(LETTERS_DIGITS, item, chosen, name, typed, _joined(chosen), note)
        return None

    # -- drawing --------------------------------------------------------------------------------

    def _rng(self, item: Analysed, kind: str) -> random.Random:
        return random.Random(f"{self.seed}/{item.article.key}/{kind}")

    def _draw(self, found: list[_Word], k: int, item: Analysed, kind: str) -> list[_Word]:
        """k words drawn without replacement with weight idf (Efraimidis-Spirakis), in order."""
        rng = self._rng(item, kind)
        keyed = sorted(found, key=lambda word: -(rng.random() ** (1 / max(word.idf, 1e-6))))
        chosen = keyed[:k]
        return [word for word in found if word in chosen]

    @staticmethod
    def _idf(df: int, n: int) -> float:
        return math.log(1 + n / max(df, 1))


def _joined(chosen: Sequence[_Word]) -> str:
    return " ".join(word.text for word in chosen)


def _replacing(
    kind: str, item: Analysed, chosen: Sequence[_Word], word: _Word, typed: str, exact: str, note: str = ""
) -> Query:
    text = " ".join(typed if other is word else other.text for other in chosen)
    return Query(kind, text, item.article.key, exact, word.text, typed, note)


def _pinyin(word: str, initials: bool = False) -> str:
    """Toneless pinyin of a Chinese word, as read in context (pypinyin's phrase table)."""
    syllables = lazy_pinyin(word)
    if len(syllables) != len(word) or not all(s.isascii() and s.isalpha() for s in syllables):
        return ""
    return "".join(s[0] for s in syllables) if initials else "".join(syllables)


# -- homophones ------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def common_characters() -> dict[str, int]:
    """The 3,500 most common characters, each with its rank (0 = commonest).

    A character's frequency is the summed frequency of the words of two or more characters that
    contain it in jieba's dictionary (its one-character entries include mojibake from its
    training text); traditional characters are left out, as a simplified input method has them.
    """
    entries, cumulative = vocabulary()
    frequency: Counter[str] = Counter()
    previous = 0
    for entry, total in zip(entries, cumulative, strict=True):
        if len(entry) >= 2:
            for character in _CJK_CHARACTER.findall(entry):
                if fold(character) == character:
                    frequency[character] += total - previous
        previous = total
    return {character: rank for rank, (character, _) in enumerate(frequency.most_common(COMMON_CHARACTERS))}


@lru_cache(maxsize=1)
def _characters_by_reading() -> dict[str, list[str]]:
    """Common characters under each toneless reading they have, commonest first."""
    by_reading: dict[str, list[str]] = defaultdict(list)
    for character in common_characters():  # in rank order
        for reading in pinyin(character, style=Style.NORMAL, heteronym=True)[0]:
            by_reading[reading].append(character)
    return by_reading


def homophone_typo(word: str, rng: random.Random, article: str) -> str | None:
    """The word with one character swapped for a common homophone, or None if it has none."""
    syllables = lazy_pinyin(word)
    if len(syllables) != len(word):
        return None
    for position in rng.sample(range(len(word)), len(word)):
        original = word[position]
        offered = [
            character
            for character in _characters_by_reading().get(syllables[position], ())
            if fold(character) != fold(original)
        ][:IME_CANDIDATES]
        for character in rng.sample(offered, len(offered)):
            typed = word[:position] + character + word[position + 1 :]
            if lazy_pinyin(typed) == syllables and fold(typed) not in article:
                return typed
    return None


# -- English typos ---------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def keyboard_neighbours() -> dict[str, str]:
    """Keys next to each letter on a QWERTY keyboard (staggered rows)."""
    places = {
        key: (row, column + _ROW_OFFSETS[row])
        for row, keys in enumerate(_KEY_ROWS)
        for column, key in enumerate(keys)
    }
    return {
        key: "".join(
            other for other, (r, c) in places.items()
            if other != key and math.dist((row, column), (r, c)) <= 1.3
        )
        for key, (row, column) in places.items()
    }


def english_typo(word: str, rng: random.Random, vocabulary_: frozenset[str]) -> tuple[str, str] | None:
    """(typo, kind) for a word of 4+ letters: one edit that makes no other corpus word."""
    if len(word) < MIN_TYPO_LETTERS or not word.isalpha():
        return None
    neighbours = keyboard_neighbours()
    for kind in rng.sample(["substitution", "insertion", "deletion", "transposition"], 4):
        for position in rng.sample(range(len(word)), len(word)):
            letter = word[position]
            if kind == "substitution":
                typo = word[:position] + rng.choice(neighbours[letter]) + word[position + 1 :]
            elif kind == "insertion":
                typo = word[:position] + rng.choice(neighbours[letter]) + word[position:]
            elif kind == "deletion":
                typo = word[:position] + word[position + 1 :]
            elif position + 1 < len(word) and letter != word[position + 1]:
                typo = word[:position] + word[position + 1] + letter + word[position + 2 :]
            else:
                continue
            if typo != word and typo not in vocabulary_:
                return typo, kind
    return None
