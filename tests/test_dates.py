"""Date expressions resolved against the publication date, on sentences from the seeds and shared data."""

from __future__ import annotations

from datetime import date

import pytest

from litopys.stages.dates import find_dates, parse_published


def resolved(text: str, published: date | None) -> list[tuple[str, str, str, str]]:
    return [
        (e.text, str(e.value_start), str(e.value_end), e.granularity)
        for e in find_dates(text, published=published)
    ]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # seed 001 (uk): a deictic word and the day it names
        (
            "До Корейської Народно-Демократичної Республіки (КНДР) сьогодні, 29 листопада, прибув із візитом",
            date(2024, 11, 29),
            [
                ("сьогодні", "2024-11-29", "2024-11-29", "day"),
                ("29 листопада", "2024-11-29", "2024-11-29", "day"),
            ],
        ),
        # seed 002 (uk): a weekday is the latest such day up to the report date
        (
            "Лідери Північної Кореї та Росії Кім Чен Ин і Володимир Путін зустрілися в середу протягом двох годин",
            date(2023, 9, 14),
            [("в середу", "2023-09-13", "2023-09-13", "day")],
        ),
        # seed 003 (ru): "in the last month" is the whole previous month
        (
            "стала кульминацией редкого саммита в прошлом месяце в Москве",
            date(2023, 10, 14),
            [("в прошлом месяце", "2023-09-01", "2023-09-30", "month")],
        ),
        # seed 001 (uk): a month without a year, in the locative case
        (
            "Також повідомлялося, що у червні російській диктатор Володимир Путін відвідав з офіційним візитом Пхеньян",
            date(2024, 11, 29),
            [("у червні", "2024-06-01", "2024-06-30", "month")],
        ),
        # slavicner ryanair (ru): a weekday and a date in apposition
        (
            "Кроме того, во вторник, 24 июля, стало известно, что авиакомпания",
            date(2018, 7, 25),
            [
                ("во вторник", "2018-07-24", "2018-07-24", "day"),
                ("24 июля", "2018-07-24", "2018-07-24", "day"),
            ],
        ),
        # slavicner ryanair (ru): the previous calendar week
        (
            "а на прошлой неделе семь профсоюзов, представляющих бортпроводников",
            date(2018, 7, 25),
            [("на прошлой неделе", "2018-07-16", "2018-07-22", "week")],
        ),
        # around New Year: a December day in a January report is the December just past
        ("29 грудня Україна отримала", date(2025, 1, 3), [("29 грудня", "2024-12-29", "2024-12-29", "day")]),
        # an announcement a few weeks ahead stays in the same year
        ("Саміт відбудеться 5 грудня", date(2024, 11, 20), [("5 грудня", "2024-12-05", "2024-12-05", "day")]),
        # absolute forms in all three languages
        (
            "On September 13, 2023 the leaders met; the treaty of 19.06.2024 took effect on 2024-12-04.",
            None,
            [
                ("September 13, 2023", "2023-09-13", "2023-09-13", "day"),
                ("19.06.2024", "2024-06-19", "2024-06-19", "day"),
                ("2024-12-04", "2024-12-04", "2024-12-04", "day"),
            ],
        ),
        ("13 вересня 2023 року", None, [("13 вересня 2023 року", "2023-09-13", "2023-09-13", "day")]),
        ("в июне 2024 года", None, [("в июне 2024 года", "2024-06-01", "2024-06-30", "month")]),
        ("у 2023 році", None, [("у 2023 році", "2023-01-01", "2023-12-31", "year")]),
        ("минулого тижня", date(2024, 11, 29), [("минулого тижня", "2024-11-18", "2024-11-24", "week")]),
        ("3 дні тому", date(2024, 11, 29), [("3 дні тому", "2024-11-26", "2024-11-26", "day")]),
        (
            "two days ago? No: yesterday",
            date(2024, 11, 29),
            [("yesterday", "2024-11-28", "2024-11-28", "day")],
        ),
    ],
)
def test_dates_resolved(text: str, published: date | None, expected: list[tuple[str, str, str, str]]) -> None:
    assert resolved(text, published) == expected


def test_dates_without_publication_date() -> None:
    # deictic words need the report date; a day without a year is kept, its year marked unknown
    found = find_dates("сьогодні, 29 листопада", published=None)
    assert [(e.text, e.year_known) for e in found] == [("29 листопада", False)]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2016-12-12T17:26:28+02:00", date(2016, 12, 12)),
        ("2024-11-29", date(2024, 11, 29)),
        ("", None),
        ("вчора", None),
    ],
)
def test_dates_parse_published(value: str, expected: date | None) -> None:
    assert parse_published(value) == expected
