"""Text decoding: every encoding Chinese dumps come in, line endings, and what is not text."""

from __future__ import annotations

import codecs

import pytest

from newstui.store.ingest.formats.decode import (
    SAMPLE_BYTES,
    decode_bytes,
    detect_encoding,
    head_text,
    text_lines,
)
from newstui.store.ingest.formats.records import ImportFailure

SIMPLIFIED = "商汤科技与德勤签署战略合作协议\t全球领先的人工智能平台公司在上海签署战略合作协议。\n"
TRADITIONAL = "商湯科技與德勤簽署戰略合作協議\t全球領先的人工智慧平臺公司在上海簽署戰略合作協議。\n"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (SIMPLIFIED.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8"), "utf-8-sig"),
        (SIMPLIFIED.encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF16_BE + SIMPLIFIED.encode("utf-16-be"), "utf-16"),
        (SIMPLIFIED.encode("utf-32"), "utf-32"),
        (SIMPLIFIED.encode("gbk"), "gb18030"),
        (SIMPLIFIED.encode("gb18030"), "gb18030"),
        (TRADITIONAL.encode("big5"), "cp950"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "utf-32-bom", "gbk", "gb18030",
         "big5"],
)
def test_detect_encoding_finds_each_supported_encoding(data, expected):
    assert detect_encoding(data, origin="f") == expected


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gbk", "gb18030"])
def test_simplified_chinese_decodes_to_the_same_text(encoding):
    assert decode_bytes(SIMPLIFIED.encode(encoding), origin="f") == SIMPLIFIED


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "big5", "cp950"])
def test_traditional_chinese_decodes_to_the_same_text(encoding):
    assert decode_bytes(TRADITIONAL.encode(encoding), origin="f") == TRADITIONAL


def test_a_short_traditional_title_in_big5_is_not_read_as_gbk():
    assert decode_bytes("商湯科技新聞\n".encode("big5"), origin="f") == "商湯科技新聞\n"


def test_a_short_simplified_title_in_gbk_is_not_read_as_big5():
    assert decode_bytes("商汤科技新闻发布\n".encode("gbk"), origin="f") == "商汤科技新闻发布\n"


def test_crlf_and_cr_line_endings_become_newlines():
    data = "一\r\n二\r三\n".encode("gbk")
    assert list(text_lines(data, origin="f")) == ["一\n", "二\n", "三\n"]


def test_decode_bytes_normalises_line_endings():
    assert decode_bytes("一\r\n二\r三\n".encode("utf-16"), origin="f") == "一\n二\n三\n"


def test_utf16_crlf_lines_are_split():
    assert list(text_lines("甲\r\n乙\r\n".encode("utf-16"), origin="f")) == ["甲\n", "乙\n"]


def test_large_input_is_checked_across_chunk_boundaries():
    line = "商汤科技人工智能新闻正文内容。\n" * 3
    data = (line * (SAMPLE_BYTES // len(line.encode("gbk")) * 40)).encode("gbk")
    assert detect_encoding(data, origin="f") == "gb18030"
    assert sum(1 for _ in text_lines(data, origin="f")) == data.count(b"\n")


def test_nul_bytes_mean_not_a_text_file():
    with pytest.raises(ImportFailure) as failure:
        detect_encoding(b"title\x00\x00body\n", origin="data/blob.bin")
    assert str(failure.value) == "data/blob.bin: not a text file"


def test_an_image_is_not_a_text_file():
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(1, 200))
    with pytest.raises(ImportFailure) as failure:
        decode_bytes(png, origin="photo.png")
    assert str(failure.value) == "photo.png: not a text file"


def test_undecodable_bytes_fail_naming_the_first_bad_line():
    data = "第一行\n第二行\n".encode() + b"bad \xff\xfe bytes\n"
    with pytest.raises(ImportFailure) as failure:
        detect_encoding(data, origin="dump.tsv")
    assert str(failure.value) == ("dump.tsv:3: cannot decode: not UTF-8, GB18030, Big5, Shift_JIS, "
                                  "EUC-JP or Windows-1252 text")


@pytest.mark.parametrize("read", [decode_bytes, lambda data, origin: list(text_lines(data, origin=origin))])
def test_a_corrupt_utf16_file_fails_in_one_line(read):
    data = "标题\t正文\n".encode("utf-16") + b"\x00\xd8"  # a lone high surrogate
    with pytest.raises(ImportFailure) as failure:
        read(data, origin="u16.tsv")
    assert str(failure.value).startswith("u16.tsv: cannot decode as utf-16: ")


def test_head_text_reads_only_the_start():
    data = ("标题\t正文\n" * 20000).encode("gbk") + b"\xff\n"
    assert head_text(data, origin="f").startswith("标题\t正文\n")


# -- legacy text that is not Chinese: read as what it is, or refused --------------------------------

LATIN = ["Schröder trifft Bürger in Köln\n", "Le président a déclaré à la presse : « très forte ».\n",
         "“Smart quotes,” she said — it’s 5 € … at the café\n", "El niño comió piñata en España\n"]


@pytest.mark.parametrize("text", LATIN, ids=["german", "french", "english", "spanish"])
def test_latin_script_in_windows_1252_is_read_as_such_not_as_chinese(text):
    assert decode_bytes(text.encode("cp1252"), origin="f") == text


@pytest.mark.parametrize("encoding", ["shift_jis", "cp932", "euc_jp"])
def test_japanese_is_read_as_japanese(encoding):
    text = "東京の天気予報\tあしたは晴れのち曇り、ところにより雨が降るでしょう。\n"
    assert decode_bytes(text.encode(encoding), origin="f") == text


@pytest.mark.parametrize(("text", "encoding"), [
    ("Привет, мир\tпоследние новости дня\n", "koi8-r"),
    ("안녕하세요\t오늘의 날씨와 주요 뉴스를 전해 드립니다\n", "euc-kr"),
    ("שלום עולם\tחדשות היום\n", "cp1255"),
], ids=["russian-koi8r", "korean-euc-kr", "hebrew-1255"])
def test_text_that_makes_sense_in_no_encoding_tried_is_refused_in_one_line(text, encoding):
    with pytest.raises(ImportFailure) as failure:
        decode_bytes(text.encode(encoding), origin="news.tsv")
    assert str(failure.value) == ("news.tsv:1: cannot decode: not UTF-8, GB18030, Big5, Shift_JIS, "
                                  "EUC-JP or Windows-1252 text")


def test_real_chinese_in_gb18030_and_big5_still_reads_as_chinese(sample_file):
    import zhconv

    simplified = sample_file.read_text(encoding="utf-8")
    traditional = zhconv.convert(simplified, "zh-tw").encode("big5", "ignore").decode("big5")
    assert decode_bytes(simplified.encode("gb18030"), origin="f") == simplified
    assert decode_bytes(traditional.encode("big5"), origin="f") == traditional
    for line in simplified.splitlines(keepends=True)[:40]:  # each article alone, as a small file
        data = line.encode("gbk", "ignore")
        assert decode_bytes(data, origin="f") == data.decode("gbk")


def test_a_file_that_is_ascii_for_pages_is_judged_where_it_stops_being_ascii():
    text = "title\tbody\n" * 20_000 + "Köln\tSchröder trifft Bürger\n"
    assert decode_bytes(text.encode("cp1252"), origin="f") == text


# -- stray NUL bytes -------------------------------------------------------------------------------


@pytest.mark.parametrize("where", [3, 190], ids=["in-the-first-64-KB", "after-64-KB"])
def test_a_stray_nul_is_dropped_wherever_it_is(where):
    lines = [f"标题{n}\t正文{n}，" + "商汤科技人工智能。" * 20 + "\n" for n in range(200)]
    lines[where] = lines[where].replace("正文", "正\x00文")
    data = "".join(lines).encode("utf-8")
    assert (data.index(b"\x00") < SAMPLE_BYTES) == (where == 3)
    assert list(text_lines(data, origin="f")) == [line.replace("\x00", "") for line in lines]


def test_nuls_throughout_still_mean_binary():
    data = b"".join(b"record %d\x00\x00\x01\x00 value\n" % n for n in range(5000))
    with pytest.raises(ImportFailure, match="not a text file"):
        detect_encoding(data, origin="f")
