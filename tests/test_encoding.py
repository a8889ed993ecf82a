"""Byte → text decoding on the seed pages re-encoded in the legacy Cyrillic code pages.

Encoded fixtures are written at test time from the UTF-8 seeds (no binary files in the repo).
KOI8-U, ISO-8859-5 and KOI8-R lack typographic quotes and dashes, so for those only the lines a
code page can encode are used (all but the title of 004; all but one line of 003).
"""

from __future__ import annotations

import codecs
import time
from pathlib import Path

import pytest

from litopys.errors import LitopysError
from litopys.stages.encoding import Decoded, check_binary, decode

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "seeds"
SEED_IDS = ["000", "001", "002", "003", "004"]
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"


def seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def encodable_lines(text: str, codec: str) -> str:
    """The lines of ``text`` that ``codec`` can encode, joined again."""
    lines = [line for line in text.split("\n") if line.encode(codec, "ignore").decode(codec) == line]
    return "\n".join(lines)


def written(tmp_path: Path, text: str, codec: str) -> bytes:
    """``text`` saved in ``codec`` as a file (the way a user's legacy file arrives), read back."""
    path = tmp_path / f"doc.{codec}.txt"
    path.write_bytes(text.encode(codec))
    return path.read_bytes()


@pytest.mark.parametrize("prefix", SEED_IDS)
def test_encoding_utf8_seed_is_returned_unchanged(prefix: str) -> None:
    text = seed(prefix)
    assert decode(text.encode("utf-8")) == Decoded(text, "utf-8")


@pytest.mark.parametrize("prefix", SEED_IDS)
def test_encoding_cp1251_seed_decodes_to_the_utf8_text(tmp_path: Path, prefix: str) -> None:
    text = seed(prefix)  # CP1251 has every character of every seed, quotes and dashes included
    assert decode(written(tmp_path, text, "cp1251")) == Decoded(text, "cp1251")


@pytest.mark.parametrize(("prefix", "min_lines"), [("003", 25), ("004", 20)])  # ru, uk
def test_encoding_koi8u_seed_decodes_to_the_utf8_text(tmp_path: Path, prefix: str, min_lines: int) -> None:
    text = encodable_lines(seed(prefix), "koi8-u")
    assert text.count("\n") + 1 >= min_lines
    assert decode(written(tmp_path, text, "koi8-u")) == Decoded(text, "koi8-u")


@pytest.mark.parametrize("prefix", ["003", "004"])
@pytest.mark.parametrize("codec", ["iso8859-5", "mac-cyrillic"])
def test_encoding_other_cyrillic_code_pages_decode_to_the_utf8_text(
    tmp_path: Path, prefix: str, codec: str
) -> None:
    text = encodable_lines(seed(prefix), codec)
    assert decode(written(tmp_path, text, codec)) == Decoded(text, codec)


def test_encoding_koi8r_russian_text_is_read_as_koi8u(tmp_path: Path) -> None:
    # for Russian letters the two are the same bytes; KOI8-U (the superset) is the label kept
    text = encodable_lines(seed("003"), "koi8-r")
    assert decode(written(tmp_path, text, "koi8-r")) == Decoded(text, "koi8-u")


@pytest.mark.parametrize("prefix", SEED_IDS)
@pytest.mark.parametrize("codec", ["cp1251", "koi8-u"])
def test_encoding_short_snippets_are_recognised(prefix: str, codec: str) -> None:
    # the first encodable line only (a headline of 50-120 characters)
    line = next(line for line in encodable_lines(seed(prefix), codec).split("\n") if line.strip())
    assert decode(line.encode(codec)) == Decoded(line, codec)


@pytest.mark.parametrize(
    ("bom", "codec", "label"),
    [
        (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
        (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    ],
)
def test_encoding_byte_order_marks_are_honoured(bom: bytes, codec: str, label: str) -> None:
    text = seed("001")
    assert decode(bom + text.encode(codec)) == Decoded(text, label)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (PNG_HEADER + b"\x00" * 64, "E102"),  # NUL bytes
        (bytes(range(1, 32)) * 10 + b"text", "E102"),  # mostly control characters
        (seed("003").encode("utf-16-le"), "E102"),  # UTF-16 without a BOM: NULs
        (bytes(range(0x80, 0x100)) * 2, "E103"),  # every high byte once: no code page fits
        (codecs.BOM_UTF16_LE + b"\x00\xd8a\x00", "E103"),  # a BOM, then a lone surrogate
    ],
)
def test_encoding_binary_and_undecodable_input_raise(data: bytes, code: str) -> None:
    with pytest.raises(LitopysError) as err:
        decode(data)
    assert err.value.code == code


def test_encoding_check_binary_accepts_text() -> None:
    check_binary(seed("000").encode("cp1251"))
    check_binary(codecs.BOM_UTF16_LE + seed("000").encode("utf-16-le"))


def test_encoding_declared_charset_is_used_when_it_fits() -> None:
    # "iso-8859-1" is read as windows-1252, as browsers do
    assert decode("naïve café".encode("latin-1"), declared="iso-8859-1") == Decoded("naïve café", "cp1252")
    text = encodable_lines(seed("004"), "koi8-u")
    assert decode(text.encode("koi8-u"), declared="KOI8-U").encoding == "koi8-u"
    # an unknown or non-text label is ignored
    assert decode(text.encode("koi8-u"), declared="x-unknown").encoding == "koi8-u"
    assert decode(text.encode("koi8-u"), declared="base64").encoding == "koi8-u"


def test_encoding_wrong_declared_charset_is_overruled() -> None:
    # a page labelled windows-1251 but served in KOI8-U: read as CP1251 it is all upper-case
    text = encodable_lines(seed("003"), "koi8-u")
    assert decode(text.encode("koi8-u"), declared="windows-1251") == Decoded(text, "koi8-u")
    # a Cyrillic page labelled Latin-1 (common on old sites): "Ïðèâåò" is no Latin text
    text = seed("000")
    assert decode(text.encode("cp1251"), declared="iso-8859-1") == Decoded(text, "cp1251")


def test_encoding_utf8_with_a_broken_character_is_still_utf8() -> None:
    data = seed("002").encode("utf-8")
    # drop one continuation byte in the middle: a lone lead byte is left (a file spliced badly)
    i = next(i for i in range(len(data) // 2, len(data)) if 0x80 <= data[i] < 0xC0)
    decoded = decode(data[:i] + data[i + 1 :])
    assert decoded.encoding == "utf-8"
    assert decoded.replaced == 1
    assert decoded.text.count("\ufffd") == 1


@pytest.mark.parametrize(
    "text",
    [
        "He said: “the talks were constructive” — and added that ‘more work’ was needed… It cost £5.",
        "Le ministre a déclaré que la réforme de l'éducation entrera en vigueur à la rentrée.",
        "Die Änderung des Gesetzes betrifft Familien in München und Köln, sagte der Sprecher.",
    ],
)
def test_encoding_western_legacy_text_is_cp1252(text: str) -> None:
    assert decode(text.encode("cp1252")) == Decoded(text, "cp1252")


def test_encoding_utf8_is_fast() -> None:
    # the ingest budget is ≥ 200 docs/s in all; decoding must stay far below 0.5 ms per 5 KB
    data = (seed("000") * 3).encode("utf-8")[:5000]
    data = data.decode("utf-8", "ignore").encode("utf-8")
    start = time.perf_counter()
    for _ in range(200):
        decode(data)
    assert (time.perf_counter() - start) / 200 < 0.5e-3
