"""The report as one self-contained HTML file: styles and SVG charts inlined, no JavaScript, nothing
fetched from the network (see :mod:`litopys.exports.report`)."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from litopys import __version__
from litopys.exports.charts import OTHER_COLOUR
from litopys.exports.report_format import (
    MAX_CLUSTER_DOCS,
    SECTIONS,
    TYPE_COLOURS,
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
    type_colours,
)

if TYPE_CHECKING:
    from litopys.exports.report import Report, Source

#: event statuses' colours (the status pill)
STATUS_COLOURS = {
    "reported": "#616e7c",
    "confirmed": "#2f7d32",
    "denied": "#c62828",
    "planned": "#1e63b5",
    "feared": "#b26a00",
    "alleged": "#8e5a00",
}

CSS = """
:root { --ink:#1f2933; --muted:#616e7c; --line:#e4e7eb; --soft:#f5f7fa; --accent:#4e79a7; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--soft); color: var(--ink);
  font: 15px/1.55 "Segoe UI", "Noto Sans", "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
a { color: #1e63b5; text-decoration: none; } a:hover { text-decoration: underline; }
.wrap { max-width: 1080px; margin: 0 auto; padding: 0 28px; }
header.top { background: #1f2933; color: #fff; padding: 30px 0 26px; }
header.top h1 { margin: 0; font-size: 30px; font-weight: 650; letter-spacing: -0.01em; }
header.top .sub { color: #cbd2d9; font-size: 14px; margin-top: 4px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin-top: 22px; }
.card { background: rgba(255,255,255,0.07); border: 1px solid rgba(255,255,255,0.12); border-radius: 8px;
  padding: 10px 14px; }
.card b { display: block; font-size: 22px; font-weight: 650; font-variant-numeric: tabular-nums; }
.card span { color: #cbd2d9; font-size: 12px; text-transform: uppercase; letter-spacing: 0.06em; }
nav.toc { background: #fff; border-bottom: 1px solid var(--line); position: sticky; top: 0; z-index: 2; }
nav.toc ol { list-style: none; margin: 0 auto; padding: 0 28px; max-width: 1080px; display: flex; flex-wrap: wrap; gap: 4px 22px; }
nav.toc li { padding: 10px 0; font-size: 14px; font-weight: 600; }
nav.toc .n { color: var(--muted); font-weight: 400; margin-right: 4px; }
main { padding: 8px 0 24px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 22px 26px; margin: 20px 0; }
h2 { font-size: 21px; margin: 0 0 14px; padding-bottom: 8px; border-bottom: 2px solid var(--line); font-weight: 650; }
h3 { font-size: 17px; margin: 0 0 2px; font-weight: 650; }
h4 { font-size: 13px; margin: 18px 0 6px; color: var(--muted); text-transform: uppercase; letter-spacing: 0.06em; }
p.note { color: var(--muted); font-size: 13px; margin: 6px 0 12px; }
p.meta, .meta { color: var(--muted); font-size: 13px; }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: 0.05em; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:nth-child(even) td { background: #fafbfc; }
figure { margin: 16px 0 4px; }
figure svg { display: block; width: 100%; height: auto; border: 1px solid var(--line); border-radius: 8px; }
.lang { display: inline-block; font: 600 11px/1.6 "DejaVu Sans Mono", Menlo, Consolas, monospace; background: #e4e7eb;
  color: #323f4b; padding: 0 6px; border-radius: 4px; text-transform: uppercase; }
.pill { display: inline-block; font-size: 12px; font-weight: 600; padding: 0 8px; border-radius: 10px;
  border: 1px solid currentColor; line-height: 1.6; }
.type { display: inline-flex; align-items: center; gap: 6px; font: 600 12px/1.6 "DejaVu Sans Mono", Menlo, Consolas, monospace; }
.type i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; }
.alt { color: var(--muted); font-size: 13px; }
code, .path { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; color: var(--muted); }
.story { border-top: 1px solid var(--line); padding: 18px 0 6px; }
.story:first-of-type { border-top: 0; padding-top: 4px; }
.story h3 .rank { color: var(--muted); font-weight: 400; margin-right: 6px; }
.cluster { border-left: 3px solid var(--accent); margin: 12px 0 0 2px; padding: 2px 0 2px 14px; }
.cluster .head { font-size: 11px; font-weight: 600; color: var(--muted); text-transform: uppercase; letter-spacing: 0.06em; }
.cluster ul { list-style: none; margin: 4px 0 0; padding: 0; }
.cluster li { padding: 3px 0; font-size: 14px; }
.cluster li .when { color: var(--muted); font-variant-numeric: tabular-nums; margin: 0 6px; }
.month { margin: 22px 0 4px; font-size: 15px; color: var(--accent); font-weight: 700; }
.event { display: grid; grid-template-columns: 140px 1fr; gap: 16px; padding: 12px 0; border-top: 1px solid var(--line); }
.event .date { font-weight: 650; font-variant-numeric: tabular-nums; }
.event .date.undated { font-weight: 600; color: var(--muted); }
.event .date .meta { font-weight: 400; font-size: 12px; }
.event .summary { font-size: 15px; margin: 4px 0 6px; }
.src { margin: 8px 0 0; }
blockquote { margin: 0; padding: 6px 12px; border-left: 3px solid #cbd2d9; background: var(--soft); color: #323f4b;
  border-radius: 0 6px 6px 0; font-size: 14px; }
mark { background: #ffe8a3; color: inherit; padding: 0 2px; border-radius: 2px; }
.src .meta { margin-top: 3px; }
.chain { color: #323f4b; }
footer { color: var(--muted); font-size: 12px; padding: 4px 0 36px; }
@media (max-width: 760px) { .grid2 { grid-template-columns: 1fr; } .event { grid-template-columns: 1fr; gap: 2px; } }
@media print {
  body { background: #fff; } nav.toc { position: static; }
  header.top { background: #fff; color: #000; } header.top .sub, .card span { color: #444; }
  section { border: 0; padding: 0; } .event, .story { break-inside: avoid; }
}
"""


def _h(text: Any) -> str:
    return escape(str(text), quote=True)


def _a(text: str, url: str | None) -> str:
    return f'<a href="{_h(url)}">{_h(text)}</a>' if url and is_link(url) else _h(text)


def _quote_html(source: Source) -> str:
    s, (a, b) = source.sentence, source.trigger
    if 0 <= a < b <= len(s):
        return f"{_h(s[:a])}<mark>{_h(s[a:b])}</mark>{_h(s[b:])}"
    return _h(s)


def _doc_ref_html(report: Report, doc: str, title: str, url: str | None) -> str:
    if doc in report.listed_docs:
        return f'<a href="#doc-{_h(doc)}">{_h(title)}</a>'
    return _a(title, url)


def render_html(report: Report, labels: dict[str, str], lang: str | None, charts: dict[str, str]) -> str:
    """The whole HTML page of ``report``: ``labels`` its words, ``charts`` the SVGs to inline."""
    L = labels
    notes = capped_notes(report, labels)
    colours = type_colours(report)
    out: list[str] = []
    w = out.append
    w("<!DOCTYPE html>")
    w(f'<html lang="{_h(lang or "en")}">')
    w('<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">')
    w(f'<meta name="generator" content="litopys {_h(__version__)}">')
    w(f"<title>{_h(L['report'])} — {_h(report.db)}</title>\n<style>{CSS}</style>\n</head>\n<body>")

    # header with summary cards
    w('<header class="top"><div class="wrap">')
    w(f"<h1>{_h(L['report'])}</h1>")
    sub = L["generated"].format(date=report.generated, db=report.db, version=__version__)
    w(f'<div class="sub">{_h(sub)}</div>')
    w('<div class="cards">')
    langs = " · ".join(lg for lg, _ in report.by_lang) or "–"
    cards = [
        (number(report.documents, L), L["documents"]),
        (langs, L["languages"]),
        (number(report.outlet_total, L), L["outlets"]),
        (date_span(report.first_published, report.last_published), L["published"]),
        (number(report.storyline_total, L), L["storylines"]),
        (number(report.event_total, L), L["events"]),
    ]
    for value, label in cards:
        size = ' style="font-size:17px"' if len(str(value)) > 12 else ""
        w(f'<div class="card"><b{size}>{_h(value)}</b><span>{_h(label)}</span></div>')
    w("</div></div></header>")

    # table of contents
    w(f'<nav class="toc" aria-label="{_h(L["contents"])}"><ol>')
    for i, (anchor, key) in enumerate(SECTIONS, 1):
        w(f'<li><span class="n">{i}.</span><a href="#{anchor}">{_h(L[key])}</a></li>')
    w("</ol></nav>")
    w('<main class="wrap">')

    # corpus
    w(f'<section id="corpus"><h2>{_h(L["corpus"])}</h2>')
    facts = [counted(L, "n_documents", report.documents)]
    if report.undated_docs:
        facts.append(L["undated_docs"].format(n=number(report.undated_docs, L)))
    if report.rejected:
        facts.append(L["rejected"].format(n=number(report.rejected, L)))
    w(f'<p class="meta">{_h(" · ".join(facts))}</p>')
    w('<div class="grid2"><div>')
    w(
        f'<table><thead><tr><th>{_h(L["language"])}</th><th class="num">{_h(L["documents"])}</th></tr></thead><tbody>'
    )
    for lg, n in report.by_lang:
        w(f'<tr><td><span class="lang">{_h(lg)}</span></td><td class="num">{number(n, L)}</td></tr>')
    w("</tbody></table></div><div>")
    w(
        f'<table><thead><tr><th>{_h(L["outlet"])}</th><th class="num">{_h(L["documents"])}</th></tr></thead><tbody>'
    )
    for outlet, n in report.outlets:
        w(f'<tr><td>{_h(outlet)}</td><td class="num">{number(n, L)}</td></tr>')
    if report.outlet_total > len(report.outlets):
        rest = report.documents - report.no_outlet - sum(n for _, n in report.outlets)
        w(
            f'<tr><td class="alt">+{report.outlet_total - len(report.outlets)}</td><td class="num">{number(rest, L)}</td></tr>'
        )
    if report.no_outlet:
        w(
            f'<tr><td class="alt">{_h(L["no_outlet"])}</td><td class="num">{number(report.no_outlet, L)}</td></tr>'
        )
    w("</tbody></table></div></div>")
    w(f"<figure>{charts['published']}</figure>")
    w("</section>")

    # storylines
    w(f'<section id="storylines"><h2>{_h(L["storylines"])}</h2>')
    if notes["storylines"]:
        w(f'<p class="note">{_h(notes["storylines"])}</p>')
    if not report.storylines:
        w(f'<p class="note">{_h(L["no_storylines"])}</p>')
    for rank, story in enumerate(report.storylines, 1):
        w(f'<div class="story" id="{_h(story.id)}">')
        w(f'<h3><span class="rank">{rank}.</span>{_h(story.title)}</h3>')
        langs = " ".join(f'<span class="lang">{_h(lg)}</span>' for lg in story.languages)
        n_clusters = len(story.clusters) + story.more_clusters
        meta = [
            _h(counted(L, "n_documents", story.documents)),
            langs,
            _h(L["first_last"].format(first=story.first_seen or "–", last=story.last_seen or "–")),
            _h(counted(L, "clusters", n_clusters)),
            f"<code>{_h(story.id)}</code>",
        ]
        w(f'<p class="meta">{" · ".join(meta)}</p>')
        for cluster in story.clusters:
            w('<div class="cluster">')
            w(f'<div class="head">{_h(cluster_head(cluster, L))}</div><ul>')
            for doc in cluster.docs[:MAX_CLUSTER_DOCS]:
                outlet = f" · {_h(doc.source)}" if doc.source else ""
                where = _a(doc.url or "", doc.url) if doc.url else f'<span class="path">{_h(doc.path)}</span>'

                w(
                    f'<li id="doc-{_h(doc.id)}"><span class="lang">{_h(doc.lang)}</span>'
                    f'<span class="when">{_h(doc.published or L["undated"])}</span>'
                    f"{_a(doc.title, doc.url)}"
                    f'<div class="meta">{where}{outlet}</div></li>'
                )
            if len(cluster.docs) > MAX_CLUSTER_DOCS:
                w(f'<li class="alt">{_h(counted(L, "more_docs", len(cluster.docs) - MAX_CLUSTER_DOCS))}</li>')
            w("</ul></div>")
        if story.more_clusters:
            w(f'<p class="note">{_h(counted(L, "more_clusters", story.more_clusters))}</p>')
        w("</div>")
    w("</section>")

    # timeline
    w(f'<section id="timeline"><h2>{_h(L["timeline"])}</h2>')
    w(f'<p class="meta">{_h(events_stats(report, labels))}</p>')
    w(f"<figure>{charts['timeline']}</figure>")
    w("</section>")

    # entities
    w(f'<section id="entities"><h2>{_h(L["entities"])}</h2>')
    if notes["entities"]:
        w(f'<p class="note">{_h(notes["entities"])}</p>')
    if not report.entities:
        w(f'<p class="note">{_h(L["no_entities"])}</p>')
    else:
        w(f"<figure>{charts['entities']}</figure>")
        w(
            f'<table><thead><tr><th class="num">#</th><th>{_h(L["name"])}</th><th>{_h(L["type"])}</th>'
            f'<th class="num">{_h(L["documents"])}</th><th class="num">{_h(L["mentions"])}</th></tr></thead><tbody>'
        )
        for i, entity in enumerate(report.entities, 1):
            main, others = entity_name(entity, lang)
            alt = f' <span class="alt">{_h(" · ".join(others))}</span>' if others else ""
            colour = TYPE_COLOURS.get(entity["type"], OTHER_COLOUR)
            w(
                f'<tr><td class="num">{i}</td><td><b>{_h(main)}</b>{alt}</td>'
                f'<td><span class="type"><i style="background:{colour}"></i>{_h(entity["type"])}</span></td>'
                f'<td class="num">{number(entity["documents"], L)}</td><td class="num">{number(entity["mentions"], L)}</td></tr>'
            )
        w("</tbody></table>")
    w("</section>")

    # events
    w(f'<section id="events"><h2>{_h(L["events"])}</h2>')
    if notes["events"]:
        w(f'<p class="note">{_h(notes["events"])}</p>')
    if not report.events:
        w(f'<p class="note">{_h(L["no_events"])}</p>')
    group = None
    for event in report.events:
        heading = event_group(event, labels)
        if heading != group:
            group = heading
            w(f'<h3 class="month">{_h(heading)}</h3>')
        colour = colours.get(event.type, OTHER_COLOUR)
        status = STATUS_COLOURS.get(event.status, "#616e7c")
        w(f'<article class="event" id="{_h(event.id)}">')
        if event.date_start or not event.first_reported:
            w(f'<div class="date">{_h(event_date(event, labels))}</div><div>')
        else:
            first = L["first_report"].format(date=event.first_reported)
            w(f'<div class="date undated">{_h(L["undated"])}<div class="meta">{_h(first)}</div></div><div>')
        w(
            f'<span class="type"><i style="background:{colour}"></i>{_h(event.type)}</span> '
            f'<span class="pill" style="color:{status}">{_h(event.status)}</span> '
            + " ".join(f'<span class="lang">{_h(lg)}</span>' for lg in event.languages)
        )
        w(f'<div class="summary">{_h(event.summary)}</div>')
        for src in event.sources:
            meta = [
                _h(src.outlet) if src.outlet else "",
                f'<span class="lang">{_h(src.lang)}</span>',
                _h(src.published or L["undated"]),
                _doc_ref_html(report, src.doc, src.title, src.url),
            ]
            if src.attributed_to:
                chain = " ← ".join(_h(a) for a in src.attributed_to)
                meta.append(f'{_h(L["attribution"])}: <span class="chain">{chain}</span>')
            w(
                f'<div class="src"><blockquote>{_quote_html(src)}</blockquote>'
                f'<div class="meta">{" · ".join(m for m in meta if m)}</div></div>'
            )
        if event.more_sources:
            w(f'<p class="note">{_h(counted(L, "more_sources", event.more_sources))}</p>')
        w("</div></article>")
    w("</section>")
    w("</main>")
    w(f'<footer class="wrap">{_h(L["footer"].format(version=__version__))}</footer>')
    w("</body>\n</html>\n")
    return "\n".join(out)
