"""Build ``eval/slices/ner_seeds.jsonl``: hand-annotated names in the five example seeds.

The annotation is the form lists below (checked by reading each clean seed text); the script finds
every whole-word occurrence of each form in the clean text, longest forms first, without overlaps.
Guidelines follow BSNLP: PER people, LOC places (countries, cities, regions, also as political
actors: КНДР, РФ, США), ORG organisations (also Кремль for the Russian government), EVT events,
PRO products and media (Telegram). Adjectives (російський, північнокорейський) are not names;
ambiguous cases (Захід "the West", the mistranslated "Дмитро С.") are left out.
Run: ``python -m eval.annotate.ner_seeds``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from litopys.records import Article
from litopys.stages.clean import clean

ROOT = Path(__file__).resolve().parents[2]

FORMS: dict[str, dict[str, list[str]]] = {
    "000": {
        "PER": ["Кім Чен Ин", "Кіма"],
        "LOC": [
            "Північна Корея",
            "Північною Кореєю",
            "Південній Кореї",
            "Японії",
            "Сеул",
            "Росії",
            "Росією",
            "України",
            "США",
            "КНДР",
        ],
        "ORG": ["CBS News"],
    },
    "001": {
        "PER": [
            "Андрій Білоусов",
            "Білоусов",
            "Білоусова",
            "Але Гван Чхолем",
            "Володимир Путін",
            "Кім Чен Ином",
            "Рустема Умєрова",
        ],
        "LOC": [
            "Корейської Народно-Демократичної Республіки",
            "КНДР",
            "Північної Кореї",
            "Сунан",
            "Пхеньяну",
            "Пхеньяном",
            "Пхеньян",
            "РФ",
            "Росії",
            "України",
            "Північна Корея",
            "Курську область",
            "Сеулу",
            "Південної Кореї",
        ],
        "ORG": ["Міноборони РФ", "Кремль"],
    },
    "002": {
        "PER": [
            "Кім Чен Ин",
            "Кім Чен Чен Ин",
            "Кім",
            "Кіма",
            "Путін",
            "Путіна",
            "Путіним",
            "Володимир Путін",
            "Пєсков",
        ],
        "LOC": [
            "Росії",
            "Росія",
            "Україні",
            "Україна",
            "Північної Кореї",
            "Північній Кореї",
            "Північна Корея",
            "Південна Корея",
            "Восточний",
            "Амурській області",
            "Пхеньян",
            "Хасан",
            "США",
            "Москві",
        ],
        "ORG": ["Кремлю", "Кремля", "Кремль", "РІА", "Reuters", "ТАСС", "Ради безпеки ООН", "ООН"],
        "PRO": ["Telegram"],
    },
    "003": {
        "PER": [
            "Владимира Путина",
            "Владимиром Путиным",
            "Путиным",
            "Путину",
            "Ким Чен Ын",
            "Ким",
            "Кима",
            "Им Чхон Ир",
        ],
        "LOC": [
            "КНДР",
            "России",
            "Россию",
            "Украины",
            "Украину",
            "Украине",
            "Северная Корея",
            "Северной Кореей",
            "Северной Кореи",
            "Северной Корее",
            "Москвы",
            "Москве",
            "Сеул",
            "Америки",
            "Южной Корее",
            "Японии",
            "РФ",
            "Восточный",
            "США",
            "Пхеньяне",
        ],
        "ORG": ["CBS News", "Пентагона", "Кремля"],
    },
    "004": {
        "PER": ["Рютте", "Марк Рютте", "Путін", "Путіна", "Рустемом Умєровим"],
        "LOC": [
            "КНДР",
            "Курській області",
            "Курська",
            "РФ",
            "Україні",
            "України",
            "Україну",
            "Україною",
            "Республіки Корея",
            "Індо-Тихоокеанському регіоні",
            "Австралію",
            "Японію",
            "Нову Зеландію",
            "Північної Кореї",
            "Північній Кореї",
            "Північною Кореєю",
            "Росії",
            "Росію",
            "Росією",
            "Корейському півострові",
            "Європи",
            "Пхеньян",
        ],
        "ORG": [
            "НАТО",
            "Північноатлантичну раду",
            "Національної розвідувальної служби",
            "Міністерства національної оборони Республіки Корея",
            "Ради Безпеки ООН",
        ],
    },
}


def annotate(text: str, forms: dict[str, list[str]]) -> list[dict[str, object]]:
    taken = [False] * len(text)
    found = []
    pairs = sorted(((f, t) for t, fs in forms.items() for f in fs), key=lambda p: -len(p[0]))
    for form, type_ in pairs:
        for m in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", text):
            if any(taken[m.start() : m.end()]):
                continue
            taken[m.start() : m.end()] = [True] * (m.end() - m.start())
            found.append({"start": m.start(), "end": m.end(), "text": form, "type": type_})
        if not re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text):
            raise SystemExit(f"form {form!r} not in the text")
    return sorted(found, key=lambda m: m["start"])  # type: ignore[arg-type,return-value]


def main() -> None:
    out = []
    for path in sorted((ROOT / "examples" / "seeds").glob("*.txt")):
        article = clean(Article(id="x", path=path.name, fmt="txt", text=path.read_text(encoding="utf-8")))
        mentions = annotate(article.text, FORMS[path.name[:3]])
        out.append(
            json.dumps({"file": path.name, "text": article.text, "mentions": mentions}, ensure_ascii=False)
        )
    target = ROOT / "eval" / "slices" / "ner_seeds.jsonl"
    target.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"wrote {target}: {sum(len(json.loads(o)['mentions']) for o in out)} mentions")


if __name__ == "__main__":
    main()
