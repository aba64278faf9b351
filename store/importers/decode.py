"""Bytes to text: the encodings Chinese news dumps come in, found without trusting the label.

Tried in order: a byte-order mark (UTF-8, UTF-16, UTF-32), UTF-8, then GB18030 (a superset of
GBK and GB2312) and Big5. Legacy encodings overlap (most Big5 bytes are also valid GBK), so
when several decode the whole input, the one whose reading is made of that standard's common
("level 1") characters wins: the right reading of real text almost only uses them, a wrong one
lands on rare characters about half the time.

The whole input is checked before any record is produced, so a file that turns out to be
undecodable at line 90,000 fails as a whole instead of half-importing. Text is then decoded a
line at a time, so a large file costs little more memory than its bytes.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterator
from functools import lru_cache

from store.importers.records import ImportFailure

SAMPLE_BYTES = 64 * 1024  # enough text to tell encodings and formats apart
_CHECK_CHUNK = 256 * 1024  # bytes decoded at a time while checking a whole input
_BOMS = (  # UTF-32 first: its little-endian mark starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Mainland and Taiwan/Hong Kong families; within a family the first codec that reads the input
# wins (Big5 as Windows writes it, then with Hong Kong's additions).
_LEGACY_FAMILIES = (("gb18030",), ("cp950", "big5hkscs"))
# Signatures of binary files that might otherwise show no NUL byte in their first bytes.
_BINARY_SIGNATURES = (
    b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"PK\x03\x04", b"\x1f\x8b",
    b"\x7fELF", b"7z\xbc\xaf", b"\xfd7zXZ",
)
_HAN = re.compile(r"[\u4e00-\u9fff]")
_NEWLINES = re.compile(r"\r\n?")


def detect_encoding(data: bytes, *, origin: str) -> str:
    """The codec that decodes the whole input; ImportFailure for binary or undecodable input."""
    reject_binary(data, origin=origin)
    marked = _bom_encoding(data)
    if marked:
        return marked
    utf8_error = _first_error(data, "utf-8")
    if utf8_error is None:
        return "utf-8"
    readable = [found for family in _LEGACY_FAMILIES if (found := _first_readable(data, family))]
    if not readable:
        line = data.count(b"\n", 0, utf8_error) + 1
        raise ImportFailure(f"{origin}:{line}: cannot decode: not UTF-8, GB18030 or Big5 text")
    sample = _sample(data)
    return max(readable, key=lambda encoding: common_share(sample.decode(encoding, "replace"), encoding))


def reject_binary(data: bytes, *, origin: str) -> None:
    """ImportFailure for NUL bytes (without a UTF-16/32 mark) or a known binary signature."""
    head = data[:SAMPLE_BYTES]
    if _bom_encoding(head) is None and (b"\x00" in head or head.startswith(_BINARY_SIGNATURES)):
        raise ImportFailure(f"{origin}: not a text file")


def head_text(data: bytes, *, origin: str) -> str:
    """The start of the input as text, for sniffing its format; only that start is checked."""
    head = data[:SAMPLE_BYTES]
    encoding = _bom_encoding(head) or detect_encoding(_sample(data), origin=origin)
    return head.decode(encoding, errors="replace")


def decode_bytes(data: bytes, *, origin: str) -> str:
    """The whole input as one string, line breaks normalised to "\\n" (for whole documents)."""
    return "".join(text_lines(data, origin=origin))


def text_lines(data: bytes, *, origin: str) -> Iterator[str]:
    """The input's lines, each ending in "\\n" (CRLF and CR normalised), decoded lazily."""
    encoding = detect_encoding(data, origin=origin)
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline=None)
    try:
        yield from stream
    except UnicodeDecodeError as error:  # only reachable for a corrupt UTF-16/32 file
        raise ImportFailure(f"{origin}: cannot decode as {encoding}: {error.reason}") from None


def decode_undeclared(data: bytes, *, origin: str) -> str:
    """Markup whose encoding nothing declares (no BOM, no label): UTF-32 or UTF-16 told apart by
    where the NUL bytes of its ASCII markup fall, else as decode_bytes reads it (UTF-8, GB18030,
    Big5). Plain UTF-16 text with too little ASCII to show the pattern is not recognised here."""
    wide = None if _bom_encoding(data) else _unmarked_wide_encoding(data[:SAMPLE_BYTES])
    if wide is None:
        return decode_bytes(data, origin=origin)
    try:
        text = data.decode(wide)
    except UnicodeDecodeError as error:
        raise ImportFailure(f"{origin}: cannot decode as {wide}: {error.reason}") from None
    return _NEWLINES.sub("\n", text)


def _unmarked_wide_encoding(head: bytes) -> str | None:
    """"utf-32-le" and so on when the NUL bytes sit where ASCII characters put them in that
    encoding (every code point keeps byte 3 of 4 at zero; ASCII zeroes one byte of 2)."""
    head = head[: len(head) // 4 * 4]
    units = len(head) // 4
    if not units or b"\x00" not in head:
        return None
    lanes = [head[lane::4].count(0) for lane in range(4)]
    # UTF-32 keeps the top byte at zero and, outside the rare planes, the next one too.
    if lanes[3] == units and lanes[2] * 8 >= units * 7 and lanes[0] < units:
        return "utf-32-le"
    if lanes[0] == units and lanes[1] * 8 >= units * 7 and lanes[3] < units:
        return "utf-32-be"
    even, odd = lanes[0] + lanes[2], lanes[1] + lanes[3]
    # At least a quarter ASCII (markup), and the other lane's NULs only from rare code points
    # such as U+4E00 (one in 256).
    if odd >= units // 2 and even * 8 <= odd:
        return "utf-16-le"
    if even >= units // 2 and odd * 8 <= even:
        return "utf-16-be"
    return None


def common_share(text: str, encoding: str) -> float:
    """The share of Han characters in text that are among encoding's common characters."""
    han = len(text) - len(_HAN.sub("", text))
    if not han:
        return 0.0
    common = _common_characters("big5" if encoding in ("cp950", "big5hkscs") else "gb2312")
    return sum(map(common.__contains__, text)) / han  # common holds only Han characters


@lru_cache(maxsize=2)
def _common_characters(standard: str) -> frozenset[str]:
    """Level-1 characters: GB2312 rows B0–D7 (3,755) or Big5 A440–C67E (5,401)."""
    if standard == "gb2312":
        leads, trails = range(0xB0, 0xD8), range(0xA1, 0xFF)
    else:
        leads, trails = range(0xA4, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)]
    chars = (bytes((lead, trail)).decode(standard, "ignore") for lead in leads for trail in trails)
    return frozenset(c for c in chars if c and _HAN.match(c))


def _first_readable(data: bytes, family: tuple[str, ...]) -> str | None:
    return next((encoding for encoding in family if _first_error(data, encoding) is None), None)


def _first_error(data: bytes, encoding: str) -> int | None:
    """Byte offset of the first undecodable byte, or None when all of data decodes.

    Checked in chunks cut after a newline: in every encoding tried here a "\\n" byte is never
    part of a multi-byte character, so each chunk decodes on its own.
    """
    start = 0
    view = memoryview(data)
    while start < len(data):
        end = data.find(b"\n", start + _CHECK_CHUNK)
        end = len(data) if end < 0 else end + 1
        try:
            str(view[start:end], encoding)
        except UnicodeDecodeError as error:
            return start + error.start
        start = end
    return None


def _bom_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def _sample(data: bytes) -> bytes:
    """About the first SAMPLE_BYTES of data, cut at a newline so no character is split.

    Cut after the sample's last newline; a first line longer than the sample (a 2 MB one-line
    article) is taken whole rather than cut inside a character.
    """
    if len(data) <= SAMPLE_BYTES:
        return data
    cut = data.rfind(b"\n", 0, SAMPLE_BYTES)
    if cut <= 0:
        cut = data.find(b"\n", SAMPLE_BYTES)
    return data if cut < 0 else data[: cut + 1]
