"""Bytes → text: find the encoding of one input document and decode it.

News in Ukrainian and Russian still arrives in legacy single-byte encodings (CP1251, KOI8-U/R,
ISO-8859-5, MacCyrillic) next to UTF-8. Guessing wrong turns a whole article into mojibake
("РџСЂРёРІС–С‚"), so :func:`decode` tries, in this order, and stops at the first that fits:

1. a byte-order mark (UTF-8, UTF-16, UTF-32);
2. binary detection: NUL bytes or >10 % C0 control bytes → ``LitopysError("E102")``;
3. strict UTF-8 (the overwhelmingly common case; it is also the fast path);
4. *near* UTF-8: valid UTF-8 apart from a few broken sequences (a file cut mid-character, one
   stray Latin-1 byte); decoded with U+FFFD for the broken bytes. Real single-byte Cyrillic
   text is never close to valid UTF-8, so this cannot swallow it;
5. the charset the document declares (``<meta charset>``), if it decodes cleanly (a declared
   Cyrillic code page joins step 6 with a head start; a declared Latin-1 is believed only if
   the text then reads as a Latin script, see :func:`_western`);
6. the single-byte Cyrillic candidates, scored by :func:`_score` (letter statistics);
7. CP1252 when its accented letters sit inside Latin words (Latin-1/Windows-1252 English,
   French, German: charset-normalizer guesses these badly on short texts);
8. charset-normalizer for anything else (Greek, Central European, CJK, ...);
9. otherwise ``LitopysError("E103")``.

Everything here is a pure function of the bytes; the tables are immutable module constants.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from litopys.errors import LitopysError

__all__ = ["Decoded", "check_binary", "decode"]


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text, the codec name used (Python spelling, e.g. ``"cp1251"``), and how many
    broken byte sequences were replaced by U+FFFD (only ever non-zero for near-UTF-8 input)."""

    text: str
    encoding: str
    replaced: int = 0


# --- binary detection ---------------------------------------------------------------------------

#: C0 control bytes that never occur in text files (everything below 0x20 except TAB, LF, FF and
#: CR, plus DEL). NUL is in here too but is checked on its own: a single NUL means "binary".
CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])
#: above this share of control bytes an input is treated as binary
MAX_CONTROL_SHARE = 0.10
#: byte-order marks, longest first (the UTF-32-LE mark starts with the UTF-16-LE one)
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")


def check_binary(data: bytes, /) -> None:
    """Raise ``LitopysError("E102")`` if ``data`` looks like a binary file, not text.

    NUL bytes (outside UTF-16/32 with a BOM) or more than :data:`MAX_CONTROL_SHARE` control
    bytes mean binary: decoding such data "successfully" would only feed garbage downstream.
    """
    if _bom_codec(data) in ("utf-16", "utf-32"):
        return
    if b"\x00" in data:
        raise LitopysError("E102", "NUL bytes")
    if data:
        controls = len(data) - len(data.translate(None, CONTROL_BYTES))
        if controls > MAX_CONTROL_SHARE * len(data):
            raise LitopysError("E102", f"{controls} of {len(data)} bytes are control characters")


def _bom_codec(data: bytes) -> str | None:
    for bom, codec in BOMS:
        if data.startswith(bom):
            return codec
    return None


# --- declared charsets --------------------------------------------------------------------------

#: labels that browsers (WHATWG Encoding Standard) read as windows-1252, not as what they say:
#: pages labelled Latin-1 routinely contain 0x80–0x9F curly quotes and dashes.
LATIN1_LABELS = frozenset({"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii"})
#: other WHATWG labels Python spells differently
LABEL_ALIASES: dict[str, str] = {"x-mac-cyrillic": "mac-cyrillic", "x-mac-ukrainian": "mac-cyrillic"}
_C1_CHARS = re.compile("[\x80-\x9f]")


def _codec_name(label: str) -> str | None:
    """The Python codec for a declared charset label, or None if unknown or not a text codec."""
    label = label.strip().strip("\"'").lower()
    label = "cp1252" if label in LATIN1_LABELS else LABEL_ALIASES.get(label, label)
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    # base64, zlib, rot13 ... are codecs too; UTF-16/32 without a BOM were already ruled out
    if not getattr(info, "_is_text_encoding", True) or info.name.startswith(("utf-16", "utf-32")):
        return None
    return info.name


# --- single-byte Cyrillic scorer ----------------------------------------------------------------

#: the candidates, in order of preference on a tie. KOI8-R follows KOI8-U: the two differ only in
#: 8 positions (Ukrainian і ї є ґ in KOI8-U, box drawing in KOI8-R), so for Russian text they
#: tie and KOI8-U (a superset for letters) is kept; KOI8-R wins only if it scores strictly better.
CYRILLIC_CANDIDATES = ("cp1251", "koi8-u", "koi8-r", "iso8859-5", "mac-cyrillic")
#: Russian + Ukrainian lower-case letters: the alphabet the scorer counts as "letters"
#: (Serbian/Macedonian/Belarusian letters count as junk: in our input they only come from a
#: wrong guess)
CYRILLIC_LOWER = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяєіїґ"
#: the 12 most frequent letters of uk and ru news (о а е и н т р с в л к і): measured on 200
#: BRUK press texts (uk) and 200 NEREL texts (ru); together ≈ 65–70 % of all letters, while a
#: wrong code page scatters letters over the whole alphabet.
COMMON_LETTERS = "оаеинтрсвлкі"
#: the 20 most frequent letter pairs of the same samples (each ≈ 1–1.8 % of pairs, together
#: ≈ 20 % of them); bytes.count of these tells apart code pages that map a byte to a letter
#: of the right case but the wrong identity (CP1251 read as ISO-8859-5).
COMMON_BIGRAMS = (
    "на", "ст", "ро", "ко", "ни", "ра", "но", "ов", "по", "та",
    "то", "го", "ен", "пр", "ан", "ер", "ти", "ні", "ві", "ре",
)  # fmt: skip
#: common-bigram pairs per high byte never exceed this in real text (measured: median 0.17,
#: max 0.24 on whole documents, p99 0.32 on 30-character snippets)
MAX_BIGRAM_SHARE = 0.35
#: typographic characters that legitimately appear in Cyrillic news (neutral in the score)
NEUTRAL_CHARS = "«»„“”‘’‚–—…№\xa0•·"
#: weights of the score, per high byte (≥ 0x80; ASCII decodes alike in every candidate)
W_LOWER, W_UPPER, W_COMMON, W_BIGRAM, W_JUNK = 1.0, 0.5, 1.0, 2.0, -3.0
#: statistics are taken on this many leading bytes (≈ 1,000 letters: plenty, and it keeps the
#: cost flat for long documents; validity is still checked on the whole input)
SAMPLE_BYTES = 2048
#: a best candidate below these is not Cyrillic text at all (→ the next steps decide). Measured
#: on 1,400 single-byte encodings of uk/ru news, even 30-character snippets have letters ≥ 0.79
#: of high bytes and common letters ≥ 0.33 of letters.
MIN_LETTER_SHARE = 0.6  # Cyrillic letters / high bytes
MIN_COMMON_SHARE = 0.25  # common letters / Cyrillic letters
#: more than this share of high bytes touching an ASCII letter ("cafщ") means a Latin script
#: with a few accents, not Cyrillic words
MAX_MIXED_SHARE = 0.3
#: a declared single-byte Cyrillic charset is overruled when another candidate beats it by this
DECLARED_MARGIN = 0.5
#: near-UTF-8: at least this many good non-ASCII characters per broken sequence
NEAR_UTF8_RATIO = 20

ASCII_BYTES = bytes(range(0x80))
HIGH_BYTES = bytes(range(0x80, 0x100))
#: UTF-8 continuation bytes, and everything else that is not ASCII (lead bytes, invalid bytes)
UTF8_CONTINUATION = bytes(range(0x80, 0xC0))
UTF8_NON_CONTINUATION = bytes([*range(0x80), *range(0xC0, 0x100)])
# byte classes used by the scorer (values in the 256-byte translation tables)
_ASCII, _LOWER, _COMMON, _UPPER, _NEUTRAL, _JUNK = range(6)


@dataclass(frozen=True, slots=True)
class _Profile:
    """How one code page classifies each byte, which bytes it leaves undefined, and its common
    bigrams as byte pairs."""

    name: str
    classes: bytes  # 256-byte translate table: byte -> class
    undefined: bytes  # bytes the codec cannot decode (0x98 in CP1251)
    bigrams: tuple[bytes, ...]


def _classify(ch: str) -> int:
    if ch in COMMON_LETTERS:
        return _COMMON
    if ch in CYRILLIC_LOWER:
        return _LOWER
    if ch.lower() in CYRILLIC_LOWER:
        return _UPPER
    return _NEUTRAL if ch in NEUTRAL_CHARS else _JUNK


def _profile(name: str) -> _Profile:
    classes = bytearray(_ASCII for _ in range(256))
    undefined = bytearray()
    for b in range(0x80, 0x100):
        try:
            classes[b] = _classify(bytes([b]).decode(name))
        except UnicodeDecodeError:
            classes[b] = _JUNK
            undefined.append(b)
    bigrams = []
    for pair in COMMON_BIGRAMS:
        try:
            bigrams.append(pair.encode(name))
        except UnicodeEncodeError:  # KOI8-R has no і
            continue
    return _Profile(name, bytes(classes), bytes(undefined), tuple(bigrams))


#: built once at import from the codecs themselves (immutable)
PROFILES: tuple[_Profile, ...] = tuple(_profile(name) for name in CYRILLIC_CANDIDATES)
#: byte → 'a' for ASCII letters, 'h' for high bytes, ' ' otherwise (to count "ah"/"ha" contacts)
_SCRIPT_TABLE = bytes(
    ord("a") if chr(b).isascii() and chr(b).isalpha() else ord("h") if b >= 0x80 else ord(" ")
    for b in range(256)
)


def _contacts(data: bytes) -> int:
    """How often a high byte touches an ASCII letter."""
    scripts = data.translate(_SCRIPT_TABLE)
    return scripts.count(b"ah") + scripts.count(b"ha")


@dataclass(frozen=True, slots=True)
class _Score:
    profile: _Profile
    value: float
    letters: int
    common: int


def _score(sample: bytes, profile: _Profile, high: int) -> _Score:
    """Letter statistics of ``sample`` (with ``high`` bytes ≥ 0x80) read in ``profile``.

    value = (W_LOWER·lower + W_UPPER·upper + W_COMMON·common + W_JUNK·junk) / high bytes.
    Right code page: nearly every high byte is a letter, mostly lower-case, ~65 % of them
    common letters. Wrong one: case flips (CP1251 ↔ KOI8), upper-case letters turn into symbols
    (CP1251 ↔ MacCyrillic), or letters get the wrong identity (CP1251 ↔ ISO-8859-5) and the
    common letters become rare. Common bigrams are added later, only for close contenders.
    """
    t = sample.translate(profile.classes)
    common = t.count(_COMMON)
    lower = t.count(_LOWER) + common
    upper = t.count(_UPPER)
    junk = t.count(_JUNK)
    value = W_LOWER * lower + W_UPPER * upper + W_COMMON * common + W_JUNK * junk
    return _Score(profile, value / high, lower + upper, common)


def _with_bigrams(sample: bytes, scores: list[_Score], high: int) -> list[_Score]:
    """Add the common-bigram bonus to the candidates that it could still put first.

    bytes.count of a pair costs ~2 µs per 2 KB, so pairs are counted only for candidates within
    W_BIGRAM · MAX_BIGRAM_SHARE of the best (a bigger gap the bonus cannot close), and each
    distinct byte pair once (CP1251 and MacCyrillic share theirs, as do the two KOI8s).
    """
    best = max(s.value for s in scores) - W_BIGRAM * MAX_BIGRAM_SHARE
    counts: dict[bytes, int] = {}
    out = []
    for s in scores:
        if s.value >= best:
            pairs = 0
            for pair in s.profile.bigrams:
                if pair not in counts:
                    counts[pair] = sample.count(pair)
                pairs += counts[pair]
            s = _Score(s.profile, s.value + W_BIGRAM * pairs / high, s.letters, s.common)
        out.append(s)
    return out


def _best_cyrillic(data: bytes, declared: str | None) -> str | None:
    """The single-byte Cyrillic code page ``data`` is written in, or None if it is not Cyrillic.

    ``declared`` (one of :data:`CYRILLIC_CANDIDATES`) wins unless another candidate beats it by
    :data:`DECLARED_MARGIN` (a page labelled windows-1251 but served in KOI8-U, say).
    """
    sample = data[:SAMPLE_BYTES]
    high = len(sample.translate(None, ASCII_BYTES))
    if not high:
        return None
    scores = [
        _score(sample, p, high)
        for p in PROFILES
        if not p.undefined or len(data.translate(None, p.undefined)) == len(data)
    ]
    if not scores:
        return None
    scores = _with_bigrams(sample, scores, high)
    best = max(scores, key=lambda s: s.value)  # max keeps the first (preferred) on a tie
    if declared is not None:
        mine = next((s for s in scores if s.profile.name == declared), None)
        if mine is not None and mine.value >= best.value - DECLARED_MARGIN:
            return declared
    if (
        best.letters < MIN_LETTER_SHARE * high
        or best.common < MIN_COMMON_SHARE * best.letters
        or _contacts(sample) > MAX_MIXED_SHARE * high
    ):
        return None
    return best.profile.name


# --- Western fallback ---------------------------------------------------------------------------

#: the one non-Cyrillic legacy code page common in our inputs (English and European news), tried
#: before charset-normalizer, which mislabels short Latin-1 texts (German → Shift-JIS, Spanish →
#: CP1250 on one-sentence samples)
WESTERN_CODEC = "cp1252"
#: accented letters sit inside Latin words ("für", "café"): at least this many contacts with an
#: ASCII letter per high-byte letter, which Cyrillic read as CP1252 ("Ïðèâåò") never has
MIN_WESTERN_CONTACT = 0.5


def _western_class(b: int) -> int:
    """0 for ASCII and non-letters, 1 for a letter, 2 for a byte CP1252 leaves undefined."""
    if b < 0x80:
        return 0
    try:
        return 1 if bytes([b]).decode(WESTERN_CODEC).isalpha() else 0
    except UnicodeDecodeError:
        return 2


#: byte → its :func:`_western_class`
_WESTERN_CLASSES = bytes(_western_class(b) for b in range(256))


def _western(data: bytes) -> str | None:
    """CP1252 if ``data`` decodes in it and its accented letters sit inside Latin words."""
    t = data.translate(_WESTERN_CLASSES)
    if t.count(2):
        return None
    return WESTERN_CODEC if _contacts(data) >= MIN_WESTERN_CONTACT * t.count(1) else None


# --- the decoder ---------------------------------------------------------------------------------

_CYRILLIC_NAMES = frozenset(CYRILLIC_CANDIDATES)


def _near_utf8(data: bytes) -> Decoded | None:
    """UTF-8 with a few broken sequences (≥ NEAR_UTF8_RATIO good non-ASCII chars per broken)."""
    # cheap pre-check: in (near) UTF-8 every non-ASCII char has ≥ 1 continuation byte, while
    # single-byte Cyrillic is mostly bytes ≥ 0xC0 (letters), i.e. lead bytes
    continuation = len(data.translate(None, UTF8_NON_CONTINUATION))
    if continuation < len(data.translate(None, ASCII_BYTES)) - continuation:
        return None
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd") - data.count("\ufffd".encode())
    good = len(text) - len(data.translate(None, HIGH_BYTES)) - broken
    if broken and good >= NEAR_UTF8_RATIO * broken:
        return Decoded(text, "utf-8", replaced=broken)
    return None


def _charset_normalizer(data: bytes) -> Decoded | None:
    from charset_normalizer import from_bytes  # imported lazily: rare path, slow import

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        return None
    return Decoded(str(best), codecs.lookup(best.encoding).name)


def decode(data: bytes, /, *, declared: str | None = None) -> Decoded:
    """Decode one document's bytes (see the module docstring for the order of attempts).

    ``declared`` is the charset the document itself names (HTML ``<meta charset>``); unknown
    labels are ignored. Raises ``LitopysError`` E102 (binary) or E103 (no encoding fits).
    """
    bom = _bom_codec(data)
    if bom in ("utf-16", "utf-32"):
        try:
            text = data.decode(bom)
        except UnicodeDecodeError as err:
            raise LitopysError("E103", f"{bom} with a byte-order mark but invalid: {err.reason}") from None
        if "\x00" in text or len(_CONTROL_CHARS.findall(text)) > MAX_CONTROL_SHARE * len(text):
            raise LitopysError("E102", f"control characters in {bom} text")
        return Decoded(text, bom)
    check_binary(data)
    if bom == "utf-8-sig":
        try:
            return Decoded(data.decode("utf-8-sig"), "utf-8-sig")
        except UnicodeDecodeError:
            data = data[len(codecs.BOM_UTF8) :]
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    if (near := _near_utf8(data)) is not None:
        return near
    codec = _codec_name(declared) if declared else None
    # a Cyrillic declaration is weighed by the scorer below; a Latin-1/CP1252 one is trusted only
    # if the text reads as a Latin script (old Cyrillic sites often mislabel pages as Latin-1)
    if (
        codec is not None
        and codec not in _CYRILLIC_NAMES
        and codec != "utf-8"
        and (codec != WESTERN_CODEC or _western(data) is not None)
    ):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            pass
        else:
            if not _C1_CHARS.search(text):
                return Decoded(text, codec)
    name = _best_cyrillic(data, codec if codec in _CYRILLIC_NAMES else None)
    if name is not None:
        return Decoded(data.decode(name), name)
    if (western := _western(data)) is not None:
        return Decoded(data.decode(western), western)
    found = _charset_normalizer(data)
    if found is None:
        raise LitopysError("E103", f"{len(data)} bytes match no known encoding")
    return found
