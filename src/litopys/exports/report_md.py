"""The report as GitHub-flavoured Markdown, its charts referenced as SVG files written beside it
(see :mod:`litopys.exports.report`)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from litopys import __version__
from litopys.exports.report_format import (
    MAX_CLUSTER_DOCS,
    SECTIONS,
    capped_notes,
    cluster_head,
    counted,
    date_span,
    entity_name,
    event_date,
    event_group,
    events_stats,
    is_link,
    number,
)

if TYPE_CHECKING:
    from litopys.exports.report import Event, Report, Source

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def _m(text: Any) -> str:
    """``text`` with Markdown's special characters escaped, on one line."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _md_link(text: str, url: str | None) -> str:
    return f"[{_m(text)}](<{url}>)" if url and is_link(url) else _m(text)


def _quote_md(source: Source) -> str:
    s, (a, b) = source.sentence, source.trigger
    if 0 <= a < b <= len(s):
        return f"{_m(s[:a])} **{_m(s[a:b])}** {_m(s[b:])}".replace("  ", " ").strip()
    return _m(s)


def _first_report_md(event: Event, labels: dict[str, str]) -> str:
    if event.date_start or not event.first_reported:
        return ""
    return f" ({_m(labels['first_report'].format(date=event.first_reported))})"


def render_markdown(report: Report, labels: dict[str, str], lang: str | None, images: dict[str, str]) -> str:
    """The Markdown of ``report``: ``labels`` its words, ``images`` the charts' file names (URL-quoted)."""
    L = labels
    notes = capped_notes(report, labels)
    out: list[str] = []
    w = out.append
    w(f"# {_m(L['report'])}\n")
    w(_m(L["generated"].format(date=report.generated, db=report.db, version=__version__)) + "\n")
    langs = ", ".join(lg for lg, _ in report.by_lang) or "–"
    w(
        f"| {_m(L['documents'])} | {_m(L['languages'])} | {_m(L['outlets'])} | {_m(L['pub_range'])} | "
        f"{_m(L['storylines'])} | {_m(L['events'])} |"
    )
    w("|---:|---|---:|---|---:|---:|")
    w(
        f"| {number(report.documents, L)} | {_m(langs)} | {number(report.outlet_total, L)} | "
        f"{_m(date_span(report.first_published, report.last_published))} | {number(report.storyline_total, L)} | "
        f"{number(report.event_total, L)} |\n"
    )
    w(f"## {_m(L['contents'])}\n")
    for i, (_, key) in enumerate(SECTIONS, 1):
        w(f"{i}. [{_m(L[key])}](#{_slug(L[key])})")
    w("")

    # corpus
    w(f"## {_m(L['corpus'])}\n")
    facts = [counted(L, "n_documents", report.documents)]
    if report.undated_docs:
        facts.append(L["undated_docs"].format(n=number(report.undated_docs, L)))
    if report.rejected:
        facts.append(L["rejected"].format(n=number(report.rejected, L)))
    w(_m(" · ".join(facts)) + "\n")
    w(f"| {_m(L['language'])} | {_m(L['documents'])} |\n|---|---:|")
    for lg, n in report.by_lang:
        w(f"| `{lg}` | {number(n, L)} |")
    w("")
    w(f"| {_m(L['outlet'])} | {_m(L['documents'])} |\n|---|---:|")
    for outlet, n in report.outlets:
        w(f"| {_m(outlet)} | {number(n, L)} |")
    if report.outlet_total > len(report.outlets):
        rest = report.documents - report.no_outlet - sum(n for _, n in report.outlets)
        w(f"| +{report.outlet_total - len(report.outlets)} | {number(rest, L)} |")
    if report.no_outlet:
        w(f"| *{_m(L['no_outlet'])}* | {number(report.no_outlet, L)} |")
    w("")
    w(f"![{_m(L['chart_published'])}]({images['published']})\n")

    # storylines
    w(f"## {_m(L['storylines'])}\n")
    if notes["storylines"]:
        w(f"*{_m(notes['storylines'])}*\n")
    if not report.storylines:
        w(f"*{_m(L['no_storylines'])}*\n")
    for rank, story in enumerate(report.storylines, 1):
        w(f"### {rank}. {_m(story.title)}\n")
        meta = [
            _m(counted(L, "n_documents", story.documents)),
            ", ".join(f"`{lg}`" for lg in story.languages),
            _m(L["first_last"].format(first=story.first_seen or "–", last=story.last_seen or "–")),
            _m(counted(L, "clusters", len(story.clusters) + story.more_clusters)),
            f"`{story.id}`",
        ]
        w(" · ".join(meta) + "\n")
        for cluster in story.clusters:
            w(f"- *{_m(cluster_head(cluster, L))}*")
            for doc in cluster.docs[:MAX_CLUSTER_DOCS]:
                where = f"<{doc.url}>" if is_link(doc.url) else f"`{doc.path}`"
                outlet = f" · {_m(doc.source)}" if doc.source else ""
                w(
                    f"  - `{doc.lang}` {_m(doc.published or L['undated'])} · {_md_link(doc.title, doc.url)}{outlet} · {where}"
                )
            if len(cluster.docs) > MAX_CLUSTER_DOCS:
                w(f"  - *{_m(counted(L, 'more_docs', len(cluster.docs) - MAX_CLUSTER_DOCS))}*")
        if story.more_clusters:
            w(f"- *{_m(counted(L, 'more_clusters', story.more_clusters))}*")
        w("")

    # timeline
    w(f"## {_m(L['timeline'])}\n")
    w(_m(events_stats(report, labels)) + "\n")
    w(f"![{_m(L['chart_events'])}]({images['timeline']})\n")

    # entities
    w(f"## {_m(L['entities'])}\n")
    if notes["entities"]:
        w(f"*{_m(notes['entities'])}*\n")
    if not report.entities:
        w(f"*{_m(L['no_entities'])}*\n")
    else:
        w(f"![{_m(L['chart_entities'])}]({images['entities']})\n")
        w(f"| # | {_m(L['name'])} | {_m(L['type'])} | {_m(L['documents'])} | {_m(L['mentions'])} |")
        w("|---:|---|---|---:|---:|")
        for i, entity in enumerate(report.entities, 1):
            main, others = entity_name(entity, lang)
            alt = f" ({_m(' · '.join(others))})" if others else ""
            w(
                f"| {i} | **{_m(main)}**{alt} | `{entity['type']}` | {number(entity['documents'], L)} | {number(entity['mentions'], L)} |"
            )
        w("")

    # events
    w(f"## {_m(L['events'])}\n")
    if notes["events"]:
        w(f"*{_m(notes['events'])}*\n")
    if not report.events:
        w(f"*{_m(L['no_events'])}*\n")
    group = None
    for event in report.events:
        heading = event_group(event, labels)
        if heading != group:
            group = heading
            w(f"### {_m(heading)}\n")
        langs = " ".join(f"`{lg}`" for lg in event.languages)
        w(
            f"- **{_m(event_date(event, labels))}**{_first_report_md(event, L)} · `{event.type}` · *{_m(event.status)}* · {langs} — {_m(event.summary)}"
        )
        for src in event.sources:
            meta = [
                _m(src.outlet) if src.outlet else "",
                f"`{src.lang}`",
                _m(src.published or L["undated"]),
                _md_link(src.title, src.url),
            ]
            if src.attributed_to:
                meta.append(f"{_m(L['attribution'])}: " + " ← ".join(_m(a) for a in src.attributed_to))
            w(f"  > {_quote_md(src)}")
            w("  >")
            w(f"  > — {' · '.join(m for m in meta if m)}\n")
        if event.more_sources:
            w(f"  *{_m(counted(L, 'more_sources', event.more_sources))}*\n")
    w("---\n")
    w(f"*{_m(L['footer'].format(version=__version__))}*")
    return "\n".join(out) + "\n"
