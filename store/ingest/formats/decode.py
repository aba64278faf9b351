"""Bytes to text: the encodings news dumps come in, found without trusting the label.

Tried in order: a byte-order mark (UTF-8, UTF-16, UTF-32), UTF-8, then the legacy encodings whose
reading makes sense (readings.py: GB18030, Big5, Shift_JIS, EUC-JP, Windows-1252), the most
plausible first. Legacy encodings overlap (GB18030 decodes most byte strings), so decoding without
error decides nothing on its own; a reading that makes no sense in any of them is refused.

Input is bytes or a file (anything whose ``open()`` gives a fresh binary stream), read in chunks.
The whole input is checked before any record is produced, so a file that turns out to be
undecodable at line 90,000 fails as a whole instead of half-importing; then it is decoded
incrementally a line at a time, so memory holds a chunk of the file, never all of it.

NUL bytes: text with a few stray ones is text, and they are dropped wherever they are; input where
more than one byte in MAX_NUL_SHARE is NUL (without a UTF-16/32 mark) is binary.
"""

from __future__ import annotations

import codecs
import io
import re
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, Protocol

from .readings import ranked_readings
from .records import ImportFailure

SAMPLE_BYTES = 64 * 1024  # enough text to tell encodings and formats apart
MAX_SAMPLE_LINE = 16 << 20  # a sample is cut after a newline, looked for this far at most
READ_CHUNK = 256 * 1024  # bytes read at a time
MAX_NUL_SHARE = 1 / 100
TRIED = "UTF-8, GB18030, Big5, Shift_JIS, EUC-JP or Windows-1252"
_BOMS = (  # UTF-32 first: its little-endian mark starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Signatures of binary files that might otherwise show few NUL bytes in their first bytes.
_BINARY_SIGNATURES = (
    b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"PK\x03\x04", b"\x1f\x8b",
    b"\x7fELF", b"7z\xbc\xaf", b"\xfd7zXZ", b"SQLite format 3\x00", b"\xd0\xcf\x11\xe0",
)


class Reopenable(Protocol):
    """Input read more than once (checked, sniffed, parsed), each time from a fresh stream."""

    def open(self) -> BinaryIO: ...


Data = bytes | Reopenable
_NEWLINES = re.compile(r"\r\n?")
_found: weakref.WeakKeyDictionary[Reopenable, str] = weakref.WeakKeyDictionary()  # checked once each


def open_data(data: Data) -> BinaryIO:
    return io.BytesIO(data) if isinstance(data, bytes) else data.open()


def detect_encoding(data: Data, *, origin: str) -> str:
    """The codec that decodes the whole input; ImportFailure for binary or undecodable input."""
    if not isinstance(data, bytes) and data in _found:
        return _found[data]
    found = _detect(data, origin)
    if not isinstance(data, bytes):
        _found[data] = found
    return found


def _detect(data: Data, origin: str) -> str:
    sample = sample_bytes(data)
    marked = _bom_encoding(sample)
    if marked:
        return marked
    if sample.startswith(_BINARY_SIGNATURES) or _mostly_nul(sample.count(b"\x00"), len(sample)):
        raise ImportFailure(f"{origin}: not a text file")
    as_utf8 = _read_as(data, "utf-8")
    if as_utf8.error_at is None:
        return _text_or_binary(as_utf8, "utf-8", origin)
    # Judge the legacy readings where UTF-8 failed: the file may start with pages of ASCII.
    for codec in ranked_readings(sample_bytes(data, start=as_utf8.line_start)):
        reading = _read_as(data, codec)
        if reading.error_at is None:
            return _text_or_binary(reading, codec, origin)
    raise ImportFailure(f"{origin}:{as_utf8.line}: cannot decode: not {TRIED} text")


def head_text(data: Data, *, origin: str) -> str:
    """The start of the input as text, for sniffing its format; only that start is checked."""
    sample = sample_bytes(data)
    encoding = _bom_encoding(sample) or detect_encoding(sample, origin=origin)
    return sample.decode(encoding, errors="replace").replace("\x00", "")


def decode_bytes(data: Data, *, origin: str) -> str:
    """The whole input as one string, line breaks normalised to "\\n" (for whole documents)."""
    return "".join(text_lines(data, origin=origin))


def text_lines(data: Data, *, origin: str) -> Iterator[str]:
    """The input's lines, each ending in "\\n" (CRLF and CR normalised), decoded a chunk at a
    time, stray NULs dropped."""
    encoding = detect_encoding(data, origin=origin)
    with io.TextIOWrapper(open_data(data), encoding=encoding, newline=None) as stream:
        try:
            for line in stream:
                yield line.replace("\x00", "") if "\x00" in line else line
        except UnicodeDecodeError as error:  # a corrupt UTF-16/32 file, or one changed meanwhile
            raise ImportFailure(f"{origin}: cannot decode as {encoding}: {error.reason}") from None


def decode_undeclared(data: bytes, *, origin: str) -> str:
    """Markup whose encoding nothing declares (no BOM, no label): UTF-32 or UTF-16 told apart by
    where the NUL bytes of its ASCII markup fall, else as decode_bytes reads it (UTF-8, then the
    legacy readings that make sense). Plain UTF-16 text with too little ASCII to show the
    pattern is not recognised here."""
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


def sample_bytes(data: Data, start: int = 0) -> bytes:
    """About SAMPLE_BYTES of data from start, cut after a newline so no character is split.

    A first line longer than the sample (a 2 MB one-line article) is taken whole, up to
    MAX_SAMPLE_LINE.
    """
    with open_data(data) as stream:
        stream.seek(start)
        sample = stream.read(SAMPLE_BYTES)
        if len(sample) < SAMPLE_BYTES:
            return sample
        cut = sample.rfind(b"\n")
        while cut < 0 and len(sample) < MAX_SAMPLE_LINE:
            more = stream.read(SAMPLE_BYTES)
            if not more:
                return sample
            found = more.find(b"\n")
            cut = -1 if found < 0 else len(sample) + found
            sample += more
    return sample if cut < 0 else sample[: cut + 1]


@dataclass(frozen=True, slots=True)
class _Reading:
    """What reading a whole input in one codec found."""

    error_at: int | None  # byte offset of the first undecodable byte; None if it all decodes
    line: int  # the line of that byte
    line_start: int  # the offset where that line starts
    nuls: int  # NUL bytes before it (in all the input when it all decodes)
    size: int  # bytes read


def _read_as(data: Data, codec: str) -> _Reading:
    """Decode the whole input in chunks, keeping nothing but counts."""
    decoder = codecs.getincrementaldecoder(codec)()
    offset = lines = nuls = line_start = 0
    with open_data(data) as stream:
        while chunk := stream.read(READ_CHUNK):
            pending = len(decoder.getstate()[0])  # bytes of a character the last chunk split
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                at = max(0, error.start - pending)
                newline = chunk.rfind(b"\n", 0, at)
                start = offset + newline + 1 if newline >= 0 else line_start
                return _Reading(offset + at, lines + chunk.count(b"\n", 0, at) + 1, start,
                                nuls + chunk.count(b"\x00", 0, at), offset + at)
            lines += chunk.count(b"\n")
            nuls += chunk.count(b"\x00")
            newline = chunk.rfind(b"\n")
            if newline >= 0:
                line_start = offset + newline + 1
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:  # the input ends inside a character
            return _Reading(offset, lines + 1, line_start, nuls, offset)
    return _Reading(None, lines + 1, line_start, nuls, offset)


def _text_or_binary(reading: _Reading, codec: str, origin: str) -> str:
    if _mostly_nul(reading.nuls, reading.size):
        raise ImportFailure(f"{origin}: not a text file")
    return codec


def _mostly_nul(nuls: int, size: int) -> bool:
    """More NULs than strays: text has none, a few where a tool slipped; binary has many."""
    return nuls > size * MAX_NUL_SHARE


def _bom_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None
