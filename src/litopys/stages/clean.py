"""Clean a page: title, body paragraphs, and page furniture removed but kept aside.

``clean(article) -> article``: pure, per document. On the way out ``article.text`` is the title as
its first line and then one body paragraph per line; ``article.paragraphs`` has one span per line;
``article.removed`` keeps every removed segment with the name of the rule that removed it, so
nothing is silently lost. The rules are data (:mod:`litopys.stages.junk`); this module applies them
in a fixed order:

1. title: the given title (HTML, JSON) or the first line; a photo credit glued to it is cut off and a
   repeated title line in the body is dropped;
2. line rules: tail markers (everything after them goes), "read also" headers, junk lines,
   attribution lines (which become ``source``), blocks repeated inside the page, a sentence glued to
   itself;
3. the related-news tail that has no header: bullet teasers and short paragraphs at the end of the
   page that share (almost) no names or content words with the headline and lead
   (:mod:`litopys.stages.tails`).
"""

from __future__ import annotations

import re
import unicodedata

from litopys.errors import LitopysError
from litopys.records import Article, Paragraph, Removed
from litopys.stages import junk
from litopys.stages.ingest import normalize_date
from litopys.stages.tails import find_offtopic_tail, teaser_runs

_SPACE = re.compile(r"\s+")
_KEY_DROP = re.compile(r"[\W_]+")


def normalize_line(line: str) -> str:
    """One line with white space collapsed and trimmed."""
    return _SPACE.sub(" ", line).strip()


def line_key(line: str) -> str:
    """A comparison key that ignores case, punctuation and spacing (for repeats)."""
    return _KEY_DROP.sub("", unicodedata.normalize("NFKC", line).casefold())


class _Collector:
    """Removed segments in page order; neighbouring lines removed by the same rule are merged."""

    def __init__(self) -> None:
        self.items: list[Removed] = []

    def add(self, text: str, rule: str) -> None:
        if self.items and self.items[-1].rule == rule and rule.startswith("tail"):
            last = self.items[-1]
            self.items[-1] = Removed(text=f"{last.text}\n{text}", rule=rule)
        else:
            self.items.append(Removed(text=text, rule=rule))


def looks_like_title(line: str) -> bool:
    """A first line that can be a headline: short, and not a sentence ending in a full stop.

    brown-uk-press texts start straight with a paragraph; the seeds and the scraped pages of
    bsnlp/slavicner start with their headline, which never ends in "." there.
    """
    return len(line) <= junk.TITLE_MAX_CHARS and not (line.endswith(".") and not line.endswith(".."))


_LEAD_END = re.compile(r"(?<!\b\w)[.!?…]+[\"»”]?(?=\s+[\"«„“(]?[A-ZА-ЯІЇЄҐЁ0-9])")


def lead_sentence(paragraph: str) -> str:
    """The first sentence of a paragraph, cut at a word boundary if longer than a headline."""
    match = _LEAD_END.search(paragraph, 20)
    sentence = paragraph[: match.end()] if match else paragraph
    if len(sentence) > junk.TITLE_MAX_CHARS:
        sentence = sentence[: junk.TITLE_MAX_CHARS].rsplit(" ", 1)[0] + "…"
    return sentence


def _split_title(title: str, removed: _Collector) -> str:
    match = junk.TITLE_CREDIT.search(title)
    if match and match.start() > 0:
        removed.add(title[match.start() :].strip(), "photo-credit")
        title = title[: match.start()].rstrip()
    return title


def _junk_rule(line: str) -> str | None:
    for rule in junk.LINE_JUNK:
        if rule.pattern.match(line):
            return rule.name
    return None


def _attribution(line: str) -> str | None:
    for pattern in junk.ATTRIBUTION:
        match = pattern.match(line)
        if match:
            return match.group("source").strip()
    return None


def unglue(line: str) -> tuple[str, str]:
    """Split off a copy of the line's opening that the page glued into it.

    Two shapes are seen: ``A B`` + ``A`` (seed 003: "…Им Чхон ИрВ Пхеньяне считают…", a sentence
    glued to the end of its own paragraph) and ``A`` + ``A B`` (bsnlp ec: a heading glued before
    the paragraph that repeats it). Returns ``(kept, removed)``; ``removed`` is empty when the
    line has no such copy.
    """
    if len(line) < 2 * junk.GLUE_MIN_CHARS:
        return line, ""
    head = line[: junk.GLUE_MIN_CHARS]
    at = line.find(head, 1)
    while at != -1:
        first, rest = line[:at].strip(), line[at:].strip()
        if line.startswith(rest):  # A B + A: the copy at the end goes
            return first, rest
        if rest.startswith(first):  # A + A B: the first copy goes
            return rest, first
        at = line.find(head, at + 1)
    return line, ""


def _page_header(line: str) -> tuple[str, str] | None:
    """A metadata line above the headline of a text dump (bsnlp raw files: id, language, date, URL)."""
    for kind, pattern in junk.PAGE_HEADER:
        if pattern.match(line):
            if kind == "date":
                return kind, normalize_date(line) or line
            return kind, line
    return None


def _carousel_follows(rest: list[str]) -> bool:
    """After a "see also" header: a gallery of teasers whose caption repeats (slavicner covid-19 ru,
    Deutsche Welle pages: "Юмор сражается с коронавирусом" before every teaser to the page's end)."""
    counts: dict[str, int] = {}
    for line in rest:
        key = line_key(line)
        counts[key] = counts.get(key, 0) + 1
        if counts[key] >= junk.CAROUSEL_MIN_REPEATS:
            return True
    return False


def clean(article: Article, /) -> Article:
    """Title, clean body paragraphs and removed furniture for one article."""
    removed = _Collector()
    lines = [normalize_line(line) for line in article.text.split("\n")]
    lines = [line for line in lines if line]
    title = normalize_line(article.title)
    published, url = article.published, article.url
    while lines and not title and (meta := _page_header(lines[0])):  # a dump's metadata lines
        kind, value = meta
        if kind == "date":
            published = published or value
        elif kind == "url":
            url = url or value
        removed.add(lines.pop(0), f"meta:{kind}")
    while lines and not title and (rule := _junk_rule(lines[0])):  # a widget above the headline
        removed.add(lines.pop(0), rule)
    derived = not title and bool(lines) and not looks_like_title(lines[0])
    if not title and lines:
        # a page without a headline line (seed 001) is titled by its first sentence, which stays
        # in the body too
        title = lines.pop(0) if looks_like_title(lines[0]) else lead_sentence(lines[0])
    title = _split_title(title, removed)
    title_key = line_key(title)

    source = article.source
    body: list[str] = []
    seen: dict[str, int] = {}  # line key -> index in body of its first copy
    anchors: set[int] = set()
    ends_with_repeat = False  # the page ends in a copy of earlier blocks (a related-news carousel)
    tail_rule = ""
    skip_next = False
    for index, line in enumerate(lines):
        if tail_rule:
            removed.add(line, tail_rule)
            continue
        if skip_next:
            skip_next = False
            removed.add(line, "read-also")
            continue
        key = line_key(line)
        if key and key == title_key and not derived:
            removed.add(line, "repeated-title")
            continue
        marker = next((r.name for r in junk.TAIL_MARKERS if r.pattern.match(line)), None)
        if marker:
            tail_rule = marker
            removed.add(line, marker)
            continue
        if junk.READ_ALSO_HEADER.match(line):
            if _carousel_follows(lines[index + 1 :]):
                tail_rule = "tail:related-news"
                removed.add(line, tail_rule)
            else:
                removed.add(line, "read-also")
                skip_next = True
            continue
        if junk.READ_ALSO_INLINE.match(line):
            removed.add(line, "read-also")
            continue
        rule = _junk_rule(line)
        if rule:
            removed.add(line, rule)
            continue
        outlet = _attribution(line)
        if outlet:
            source = source or outlet
            removed.add(line, "attribution")
            continue
        if len(line) >= junk.REPEAT_MIN_CHARS and key in seen:
            removed.add(line, "repeated-block")
            anchors.add(seen[key])
            ends_with_repeat = True
            continue
        seen.setdefault(key, len(body))
        kept, glued = unglue(line)
        if glued:
            removed.add(glued, "glued-repeat")
        body.append(kept)
        ends_with_repeat = False

    # a repeat anchors a tail only when the page ends in it (seed 004); repeats in mid-page are
    # tabs or widgets of the article's own layout (slavicner covid ru_46)
    body = _drop_offtopic_tail(title, body, anchors if ends_with_repeat else set(), removed)
    if not body and not title:
        raise LitopysError("E106", "neither a title nor a body paragraph is left after cleaning")

    text = "\n".join([title, *body])
    return article.evolve(
        text=text,
        title=title,
        source=source,
        published=published,
        url=url,
        removed=article.removed + tuple(removed.items),
        paragraphs=_line_spans(text),
    )


def _drop_offtopic_tail(title: str, body: list[str], anchors: set[int], removed: _Collector) -> list[str]:
    start = find_offtopic_tail(title, body, anchors=anchors | set(teaser_runs(body)))
    for line in body[start:]:
        removed.add(line, "tail:offtopic")
    return body[:start]


def _line_spans(text: str) -> tuple[Paragraph, ...]:
    spans = []
    start = 0
    for line in text.split("\n"):
        spans.append(Paragraph(start=start, end=start + len(line)))
        start += len(line) + 1
    return tuple(spans)
