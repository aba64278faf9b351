"""Sentences: where a text's sentences start and end (summaries), and where a sentence too
long to show may be cut (at a clause boundary)."""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import pairwise

from .segment import CJK_CHAR, WORD_CHAR_CLASS

# Chinese news ends sentences with 。！？；… and line breaks, English with .!? . A terminator
# inside a short quotation or bracket does not end the sentence, and neither does one that
# closes a quotation followed only by a short tail, so 他说：“今天很好。”随后离开 stays one
# sentence with its quote closed. English marks a new sentence plainly, with a space and a
# capital: there a sentence ends inside a quotation too ("We won. It was hard," he said), and
# one after a closing quote ("We won." He left) however short. A terminator followed by a
# lowercase word or a comma never ends one (3.5, U.S., Mr. Smith, "e.g. so", Why? he asked).
# Only the characters that matter are visited (re.finditer), so megabytes of text split in a
# fraction of a second.

_OPENERS = "“‘「『（(【《〈[｛"
_CLOSERS = "”’」』）)】》〉]｝"
_PAIR = dict(zip(_CLOSERS, _OPENERS, strict=True))
_TRAILERS = _CLOSERS + "\"'"  # may follow a terminator and belong to its sentence
_TERMINATORS = "。！？；…!?.．"
# A quotation longer than this is speech spanning several sentences: split inside it after all.
_MAX_QUOTE = 200
# Text this short after a quotation that ends a sentence (“……。”他说。) is its tail, not a sentence.
_QUOTE_TAIL = 20
_MAX_NESTING = 8  # deeper "nesting" is stray brackets; forgetting the oldest bounds the work
# Fewer letters than this (CJK characters, Latin letters, digits) is a fragment, not a sentence.
MIN_SENTENCE_CHARS = 10
# A text or paragraph that opens with 【……】 of a sentence's letters and this long at most opens
# with its headline, as Weibo news does (【江西高考被曝替考 有关考生被取消资格】近日，……): a
# sentence of its own. (【新华社】 is a source tag, part of the sentence it opens.)
LONGEST_HEADLINE = 60
_LETTER = re.compile(f"[{WORD_CHAR_CLASS}]")
_SENTENCE_EVENT = re.compile(
    r"\n|[" + re.escape(_TERMINATORS) + r"]+|[" + re.escape('"' + _OPENERS + _CLOSERS) + "]"
)
_TRAILING = re.compile("[" + re.escape(_TRAILERS) + r"]*")
_WORD_BEFORE = re.compile(r"([A-Za-z0-9]+)\W*$")
# What follows a terminator: its closing quotes, then the first visible character, and whether
# a space came between.
_NEXT_VISIBLE = re.compile("[" + re.escape(_TRAILERS) + r"]*([ \t]*)(.?)")
_ASCII_TERMINATORS = re.compile(r"[!?.．]+")
_CONTINUES = ",;:，、；：)）]】》"  # a sentence never starts with one of these
_CAPITAL_START = re.compile(r"[A-Z\u00c0-\u00de\"“‘(\[]")
# Titles a period follows mid-sentence ("Mr. Smith", "Prof. Lee"), and abbreviations that do
# so before a number ("No. 10", "Jan. 5", "Fig. 3") but may end a sentence otherwise.
_ABBREVIATIONS = frozenset(
    re.findall(
        r"\w+",
        "mr mrs ms messrs dr prof sr jr st mt gen gov sen rep capt lt col sgt cpl maj adm rev hon "
        "pres supt insp det vs etc inc ltd co corp bros dept univ assn ave approx est ca cf",
    )
)
_ABBREVIATIONS_BEFORE_NUMBERS = frozenset(
    re.findall(
        r"\w+",
        "no nos nr fig figs vol vols p pp ch sec art op jan feb mar apr jun jul aug sep sept oct nov dec",
    )
)


def _ascii_run_ends_sentence(text: str, start: int, end: int, sentence_start: int) -> bool:
    """Whether .!? at text[start:end] end a sentence: not 3.14, YES!IC, U.S., Mr. or "e.g. so"."""
    after = text[end : end + 1]
    if after and not (after.isspace() or after in _TRAILERS or CJK_CHAR.match(after)):
        return False
    following = _NEXT_VISIBLE.match(text, end).group(2)
    if following.islower() or (following and following in _CONTINUES):
        return False
    if "." not in text[start:end] and "．" not in text[start:end]:
        return True
    before = _WORD_BEFORE.search(text, max(sentence_start, start - 20), start)
    if before is None:
        return True
    word = before.group(1)
    if len(word) == 1 and word.isalpha():
        return False  # an initial: "J. K. Rowling", "U.S."
    lowered = word.lower()
    if lowered in _ABBREVIATIONS or (lowered in _ABBREVIATIONS_BEFORE_NUMBERS and following.isdigit()):
        return False
    if word.isdigit() and len(word) <= 3 and after and CJK_CHAR.match(after):
        return False  # a list number: "原则：1.为人们解决问题"
    # "1. " opening a line is a list number, not a sentence.
    return not (word.isdigit() and len(word) <= 3 and not text[sentence_start : before.start()].strip())


def _starts_sentence(text: str, position: int) -> bool | None:
    """After a terminator and its closing quotes: True where English plainly starts a sentence
    (a space, then a capital or an opening quote), False where the sentence goes on (a lowercase
    word, a comma), None where only the length of what follows can tell (Chinese)."""
    space, following = _NEXT_VISIBLE.match(text, position).groups()
    if following.islower() or (following and following in _CONTINUES):
        return False
    if space and _CAPITAL_START.match(following):
        return True
    return None


class _SentenceCuts:
    """Where sentences end, found in one pass over the terminators, quotes and line breaks."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.cuts: list[int] = []
        self.sentence_start = 0
        self.stack: list[tuple[str, int]] = []  # open quotes/brackets and where they opened
        self.in_quote: list[int] = []  # cuts inside an open quotation: kept if it runs too long
        self.after_quote: list[int] = []  # cuts after a closing quotation: kept unless a tail

    def find(self) -> list[int]:
        text = self.text
        for match in _SENTENCE_EVENT.finditer(text):
            token, start, end = match.group(), match.start(), match.end()
            if self.stack and start - self.stack[0][1] > _MAX_QUOTE:
                self._keep_in_quote_cuts()
                self.stack = [(mark, at) for mark, at in self.stack if start - at <= _MAX_QUOTE]
            if token == "\n":
                self._keep_in_quote_cuts()
                self.stack.clear()
                self._cut(start)
            elif token in _OPENERS or (token == '"' and not self._open('"')):
                self.stack.append((token, start))
                if len(self.stack) > _MAX_NESTING:
                    del self.stack[0]
            elif token in _CLOSERS or token == '"':
                self._close(_PAIR.get(token, '"'), start)
            elif _ASCII_TERMINATORS.fullmatch(token) is None or _ascii_run_ends_sentence(
                text, start, end, self.sentence_start
            ):
                if not self.stack:
                    self._cut(_TRAILING.match(text, end).end())
                elif _starts_sentence(text, end):  # "We won. It was hard," he said.
                    self._keep_in_quote_cuts()
                    self._cut(_TRAILING.match(text, end).end())
                else:
                    self.in_quote.append(end)
        self._keep_in_quote_cuts()
        self._cut(len(text))
        return self.cuts

    def _open(self, opener: str) -> bool:
        return bool(self.stack) and self.stack[-1][0] == opener

    def _close(self, opener: str, start: int) -> None:
        depth = next(
            (i for i in range(len(self.stack) - 1, -1, -1) if self.stack[i][0] == opener), None
        )
        if depth is None:
            return  # a stray closer (or an apostrophe) closes nothing
        opened_at = self.stack[depth][1]
        del self.stack[depth:]
        if (
            opener == "【"
            and not self.stack
            and start - opened_at <= LONGEST_HEADLINE + 1
            and not self.text[self.sentence_start : opened_at].strip()
            and len(_LETTER.findall(self.text, opened_at, start)) >= MIN_SENTENCE_CHARS
        ):
            self.in_quote.clear()
            self._cut(start + 1)  # a headline
        elif not self.stack:
            if self.in_quote and self.in_quote[-1] == start:  # the quotation ends a sentence
                self.after_quote.append(_TRAILING.match(self.text, start).end())
            self.in_quote.clear()  # a short quotation stays inside its sentence

    def _keep_in_quote_cuts(self) -> None:
        for position in self.in_quote:
            self._cut(_TRAILING.match(self.text, position).end())
        self.in_quote.clear()

    def _cut(self, position: int) -> None:
        """End a sentence at position, first ending it after any quotation with a long tail."""
        for after_quote, following in pairwise([*self.after_quote, position]):
            starts = _starts_sentence(self.text, after_quote)
            if starts or (starts is None and following - after_quote > _QUOTE_TAIL):
                self.cuts.append(after_quote)
        self.after_quote.clear()
        self.cuts.append(position)
        self.sentence_start = position


def split_sentences(text: str) -> list[str]:
    """Split text into sentences, each a verbatim (whitespace-trimmed) slice of it, in order.

    Text after the last terminator is kept as a sentence of its own; closing quotes and brackets
    stay with the sentence they close.
    """
    return [text[start:end] for start, end in sentence_spans(text)]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of each sentence of split_sentences, so a text folded character for
    character can be cut at the same places."""
    spans = []
    begin = 0
    for position in _SentenceCuts(text).find():
        if position > begin:
            piece = text[begin:position]
            start = begin + len(piece) - len(piece.lstrip())
            end = begin + len(piece.rstrip())
            if end > start:
                spans.append((start, end))
            begin = position
    return spans


# Where a long sentence may be cut: after a comma, colon or semicolon (with any closing quote),
# else between words.
_CLAUSE_ENDS = re.compile(r"[，,、：:；;]+[”’\"'）)]*|\s[—–-]+(?=\s)")
_WORD_ENDS = re.compile(r"(?<=\S)\s")
_CUT_PUNCTUATION = "，,、：:；;—–- \t"
ELLIPSIS = "…"


def shorten_at_clause(sentence: str, fits: Callable[[str], bool]) -> str:
    """The sentence if it fits, else its longest beginning that fits with an ellipsis after it,
    cut where a clause ends; failing a clause end past the first third of what would fit, where
    a word ends; failing that, anywhere. ``fits`` must hold for every beginning of a text it holds
    for."""
    if fits(sentence):
        return sentence

    def shown(end: int) -> str:
        return sentence[:end].rstrip(_CUT_PUNCTUATION) + ELLIPSIS

    low, high = 0, len(sentence)  # shown(low) fits, or low == 0; shown(high) does not
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if fits(shown(middle)) else (low, middle)
    for boundaries in (_CLAUSE_ENDS, _WORD_ENDS):
        ends = [m.end() for m in boundaries.finditer(sentence, 0, low) if m.end() > low // 3]
        if ends and sentence[: ends[-1]].rstrip(_CUT_PUNCTUATION):
            return shown(ends[-1])
    return shown(low) if low else ELLIPSIS

