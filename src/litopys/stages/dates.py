"""Date expressions in uk, ru and en text, resolved against the publication date, with granularity.

"сьогодні, 29 листопада", "у середу", "у червні", "в прошлом месяце", "минулого тижня", "13 September
2023", "29.11.2024": each becomes a :class:`TimeExpr` with the character span, the resolved interval
(``start``..``end``, both inclusive) and its granularity (day, week, month, year). The report date
(publication) and the occurrence date stay apart: this module only resolves what the text says.

Rules, as data (the tables below): month names in the cases news use (uk genitive "листопада" and
locative "у листопаді", ru genitive "ноября" and prepositional "в ноябре", en), weekday names,
deictic words (today, yesterday, last week/month/year, N days ago). A date without a year takes the
year that puts it nearest the publication date, looking back further than forward
(:data:`FUTURE_DAYS`): a report published on 3 January that says "29 грудня" means the December
just past. Without a publication date, a day or month without a year is kept with ``year_known``
false (its year is a placeholder) and deictic words are not resolved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

#: month number by name form (uk, ru, en; the cases news text uses them in)
MONTHS: dict[str, int] = {}
for _number, _forms in enumerate(
    (
        "січень січня січні січнем january jan январь января январе",
        "лютий лютого лютому february feb февраль февраля феврале",
        "березень березня березні march mar март марта марте",
        "квітень квітня квітні april apr апрель апреля апреле",
        "травень травня травні may май мая мае",
        "червень червня червні june jun июнь июня июне",
        "липень липня липні july jul июль июля июле",
        "серпень серпня серпні august aug август августа августе",
        "вересень вересня вересні september sep sept сентябрь сентября сентябре",
        "жовтень жовтня жовтні october oct октябрь октября октябре",
        "листопад листопада листопаді november nov ноябрь ноября ноябре",
        "грудень грудня грудні december dec декабрь декабря декабре",
    ),
    start=1,
):
    for _form in _forms.split():
        MONTHS[_form] = _number

#: weekday number (Monday 0) by name form, in the cases "у середу" / "в среду" / "on Wednesday" use
WEEKDAYS: dict[str, int] = {}
for _number, _forms in enumerate(
    (
        "понеділок понеділка понедельник понедельника monday",
        "вівторок вівторка вторник вторника tuesday",
        "середу середа среду среда wednesday",
        "четвер четверга четверг четверга thursday",
        "п'ятницю п’ятницю пʼятницю п'ятниця пятницу пятница friday",
        "суботу субота субботу суббота saturday",
        "неділю неділя воскресенье воскресенья sunday",
    )
):
    for _form in _forms.split():
        WEEKDAYS[_form] = _number

#: a date without a year may lie at most this many days after the publication date ("on 5 June"
#: in a report of 1 June is an announcement); further ahead it is taken from the year before
FUTURE_DAYS = 62

#: deictic words: (regex, unit, offset) resolved against the publication date
DEICTIC: tuple[tuple[str, str, int], ...] = (
    (r"сьогодні|сегодня|today|нині|ныне", "day", 0),
    (r"вчора|вчера|yesterday|учора", "day", -1),
    (r"позавчора|позавчера", "day", -2),
    (r"завтра|tomorrow", "day", 1),
    (r"післязавтра|послезавтра", "day", 2),
    (r"минулого тижня|на минулому тижні|на прошлой неделе|last week", "week", -1),
    (r"цього тижня|на цьому тижні|на этой неделе|this week", "week", 0),
    (r"наступного тижня|на наступному тижні|на следующей неделе|next week", "week", 1),
    (r"минулого місяця|у минулому місяці|в минулому місяці|в прошлом месяце|last month", "month", -1),
    (r"цього місяця|у цьому місяці|в этом месяце|this month", "month", 0),
    (r"наступного місяця|в следующем месяце|next month", "month", 1),
    (r"минулого року|торік|у минулому році|в прошлом году|last year", "year", -1),
    (r"цього року|у цьому році|в этом году|this year", "year", 0),
    (r"наступного року|в следующем году|next year", "year", 1),
)

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY = "|".join(sorted((re.escape(w) for w in WEEKDAYS), key=len, reverse=True))
_YEAR = r"(?:19|20)\d\d"
_YEAR_WORD = r"(?:\s*(?:року|р\.|рік|году|года|г\.|год))?"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iso", re.compile(rf"\b(?P<y>{_YEAR})-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
    ("dotted", re.compile(rf"\b(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.(?P<y>{_YEAR})\b")),
    # 29 листопада 2024 року / 13 September 2023 / 29 ноября
    (
        "day-month",
        re.compile(
            rf"\b(?P<d>[0-3]?\d)(?:-?(?:го|те|ое|е|th|st|nd|rd))?\s+(?P<mon>{_MONTH})\b(?:,?\s+(?P<y>{_YEAR}){_YEAR_WORD})?",
            re.I,
        ),
    ),
    # September 13, 2023 / September 13
    (
        "month-day",
        re.compile(rf"\b(?P<mon>{_MONTH})\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>{_YEAR}))?", re.I),
    ),
    # у червні 2024 року / в июне / in June 2024
    (
        "month",
        re.compile(
            rf"\b(?:у|в|во|in|since|з|с|до|by)\s+(?P<mon>{_MONTH})\b(?:\s+(?P<y>{_YEAR}){_YEAR_WORD})?", re.I
        ),
    ),
    # у 2023 році / в 2023 году / in 2023
    (
        "year",
        re.compile(
            rf"\b(?:у|в|in|з|с|до|since)\s+(?P<y>{_YEAR})\s*(?:році|року|рік|году|год|г\.|р\.)?", re.I
        ),
    ),
    # у середу / в среду / on Wednesday
    ("weekday", re.compile(rf"\b(?:у|в|во|on|last)\s+(?P<wd>{_WEEKDAY})\b", re.I)),
    # 3 дні тому / 3 дня назад / 3 days ago
    (
        "ago",
        re.compile(
            r"\b(?P<n>\d{1,3})\s+(?P<unit>дн\w*|день|days?|тиж\w*|недел\w*|weeks?|місяц\w*|месяц\w*|months?)\s+(?:тому|назад|ago)\b",
            re.I,
        ),
    ),
    ("deictic", re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p, _, _ in DEICTIC) + r")\b", re.I)),
)


@dataclass(frozen=True, slots=True)
class TimeExpr:
    """A date expression: ``text[start:end]`` means the days ``value_start``..``value_end``."""

    start: int
    end: int
    text: str
    value_start: date
    value_end: date
    granularity: str  #: day, week, month or year
    year_known: bool = True


def _month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


def _nearest_year(month: int, day: int, published: date) -> int:
    """The year that puts (month, day) nearest ``published``, looking back further than forward."""
    for year in (published.year, published.year - 1):
        try:
            candidate = date(year, month, min(day, 28) if (month, day) == (2, 29) else day)
        except ValueError:
            continue
        if (candidate - published).days <= FUTURE_DAYS:
            return year
    return published.year - 1


def _interval(unit: str, offset: int, published: date) -> tuple[date, date]:
    if unit == "day":
        day = published + timedelta(days=offset)
        return day, day
    if unit == "week":
        monday = published - timedelta(days=published.weekday()) + timedelta(weeks=offset)
        return monday, monday + timedelta(days=6)
    if unit == "month":
        index = published.year * 12 + published.month - 1 + offset
        year, month = divmod(index, 12)
        return date(year, month + 1, 1), _month_end(year, month + 1)
    year = published.year + offset
    return date(year, 1, 1), date(year, 12, 31)


def _resolve(kind: str, found: re.Match[str], published: date | None) -> TimeExpr | None:
    groups = found.groupdict()
    text = found.group(0)
    year = int(groups["y"]) if groups.get("y") else None
    placeholder = 1900
    if kind in ("iso", "dotted", "day-month", "month-day"):
        month = int(groups["m"]) if groups.get("m") else MONTHS[groups["mon"].lower()]
        day = int(groups["d"])
        if not 1 <= month <= 12 or not 1 <= day <= 31:
            return None
        known = year is not None or published is not None
        if year is None:
            year = _nearest_year(month, day, published) if published else placeholder
        try:
            value = date(year, month, day)
        except ValueError:
            return None
        return TimeExpr(found.start(), found.end(), text, value, value, "day", known)
    if kind == "month":
        month = MONTHS[groups["mon"].lower()]
        known = year is not None or published is not None
        if year is None:
            year = _nearest_year(month, 1, published) if published else placeholder
        return TimeExpr(
            found.start(), found.end(), text, date(year, month, 1), _month_end(year, month), "month", known
        )
    if kind == "year":
        assert year is not None
        return TimeExpr(found.start(), found.end(), text, date(year, 1, 1), date(year, 12, 31), "year")
    if published is None:
        return None  # deictic and weekday expressions need the report date
    if kind == "weekday":
        weekday = WEEKDAYS[groups["wd"].lower().replace("’", "'").replace("ʼ", "'")]
        back = (published.weekday() - weekday) % 7
        value = published - timedelta(days=back)
        return TimeExpr(found.start(), found.end(), text, value, value, "day")
    if kind == "ago":
        n, unit = int(groups["n"]), groups["unit"].lower()
        days = n * (
            7 if unit[:3] in ("тиж", "нед", "wee") else 30 if unit[:3] in ("міс", "мес", "mon") else 1
        )
        value = published - timedelta(days=days)
        granularity = "day" if days < 7 else "week" if days < 30 else "month"
        return TimeExpr(found.start(), found.end(), text, value, value, granularity)
    lowered = text.lower()
    for pattern, unit, offset in DEICTIC:
        if re.fullmatch(pattern, lowered):
            start, end = _interval(unit, offset, published)
            return TimeExpr(found.start(), found.end(), text, start, end, unit)
    return None


def find_dates(text: str, *, published: date | None = None) -> list[TimeExpr]:
    """Date expressions in ``text``, resolved against ``published``; sorted, not overlapping.

    Where two expressions overlap, the longer wins ("29 листопада 2024 року" over "листопада 2024").
    """
    found: list[TimeExpr] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            expr = _resolve(kind, match, published)
            if expr is not None:
                found.append(expr)
    found.sort(key=lambda e: (-(e.end - e.start), e.start))
    kept: list[TimeExpr] = []
    for expr in found:
        if all(expr.end <= k.start or expr.start >= k.end for k in kept):
            kept.append(expr)
    return sorted(kept, key=lambda e: e.start)


def parse_published(value: str | None) -> date | None:
    """The publication date of an article (ISO ``YYYY-MM-DD…``), or None."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
