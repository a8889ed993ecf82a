"""Typed events from uk, ru and en sentences: who did what to whom, when, where, and who says so.

A per-document stage over the nlp tokens (lemmas) and the recognised mentions:

* **trigger**: a row of ``data/events/triggers.tsv`` whose lemmas all occur in the sentence (a
  transfer verb is an arms transfer only with a weapon word); types and their PLOVER parents come
  from ``data/events/ontology.tsv``;
* **roles** by morphology: in uk and ru the case marks the role (nominative actor "Північна Корея",
  dative recipient "Росії", "до/в" + a place the direction, locative place "у Курській області");
  in English, position and prepositions ("to", "in");
* **date**: the first date expression of the sentence (:mod:`litopys.stages.dates`), resolved
  against the publication date; the occurrence date stays apart from the report date;
* **status** (:data:`STATUS_CUES`): confirmed, denied, planned, feared, alleged, or reported;
* **attribution**: the chain of sources, outer first: the outlet or speaker of a verb of saying,
  then whom it cites ("CBS News", "неназванного американского чиновника"), with the article's
  own ``source`` line as the outer link when the sentence names none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from litopys.records import Article, Event, Mention, Role, Token
from litopys.stages.dates import find_dates, parse_published
from litopys.stages.nlp import morph


@dataclass(frozen=True, slots=True)
class Trigger:
    lang: str
    lemmas: tuple[str, ...]
    type: str


@dataclass(frozen=True, slots=True)
class EventType:
    name: str
    plover: str
    mode: str


#: status cues by lemma, per language, checked in this order (the first found wins)
STATUS_CUES: tuple[tuple[str, frozenset[str]], ...] = (
    (
        "denied",
        frozenset(
            {"заперечити", "заперечувати", "спростувати", "опровергнуть", "отрицать", "deny", "denied"}
        ),
    ),
    ("confirmed", frozenset({"підтвердити", "підтверджувати", "подтвердить", "подтверждать", "confirm"})),
    ("feared", frozenset({"стурбований", "побоюватися", "обеспокоенный", "опасаться", "fear", "concerned"})),
    (
        "planned",
        frozenset(
            {
                "планувати",
                "запланувати",
                "запланований",
                "планировать",
                "намір",
                "намерение",
                "plan",
                "intend",
            }
        ),
    ),
    ("alleged", frozenset({"могти", "ймовірно", "мочь", "вероятно", "may", "might", "could", "allegedly"})),
)
#: a negation right before the trigger makes the event denied
NEGATIONS = frozenset({"не", "ні", "not", "never", "no"})
#: verbs of saying: their subject is the speaker or outlet of the sentence
SAYING = frozenset(
    {
        "повідомити", "повідомляти", "заявити", "заявляти", "сказати", "розповісти", "підтвердити",
        "зазначити", "зазначати", "наголосити", "поінформувати", "передавати", "нагадати", "нагадувати",
        "писати", "сообщить", "передавать", "писать", "напомнить", "отмечать", "сообщать", "заявить",
        "заявлять", "сказать", "рассказать", "подтвердить", "отметить", "say", "tell", "report", "announce",
        # seeds 002 and 004: "Представники США неодноразово попереджали, що …", "він констатував, що …",
        # "Генсек уточнив, що …"
        "попереджати", "попередити", "констатувати", "уточнити", "додати", "пояснити",
        "предупреждать", "предупредить", "констатировать", "уточнить", "добавить", "пояснить",
        "warn", "add", "explain",
    }
)  # fmt: skip
#: phrases that introduce whom a statement cites ("со ссылкой на X", "за словами X", "citing X")
CITING = re.compile(
    r"(?:з посиланням на|посилаючись на|со ссылкой на|ссылаясь на|за словами|за даними|за інформацією|"
    r"за повідомленням|по словам|по данным|по информации|по сообщению|"
    r"citing|according to)\s+(?P<who>[^,.;:()\"«»]{3,60})",
    re.IGNORECASE,
)
#: prepositions that make a mention the target (direction, recipient) or the place
TO_PREPOSITIONS = frozenset({"до", "к", "to", "into"})
IN_PREPOSITIONS = frozenset({"у", "в", "во", "на", "in", "at"})
#: types whose actor is a person when the sentence names one ("прибув ... міністр оборони РФ Андрій Білоусов":
#: the actor is Білоусов, not РФ)
PERSON_ACTED = frozenset({"VISIT", "SUMMIT", "TREATY_SIGNING", "CONSULT"})
#: place nouns between a preposition and a place name ("у місті Цуг", "в городах Равалпинди", seed 002
#: "на космодромі Восточний")
PLACE_NOUNS = frozenset(
    {"місто", "село", "столиця", "країна", "область", "регіон", "провінція", "штат", "район", "кантон"}
    | {"город", "село", "столица", "страна", "область", "регион", "провинция", "штат", "район", "кантон"}
    | {"космодром", "полігон", "полигон", "база", "аеропорт", "аэропорт", "порт"}
)
#: words that open a subordinate clause after a comma: roles are looked for in the trigger's own clause
#: ("зустрілися …, за якою уважно стежили …, що Кім погодився постачати боєприпаси для війни Кремля":
#: the Kremlin is not a party to the summit). Lemmas.
SUBORDINATORS = frozenset(
    {"що", "який", "котрий", "де", "коли", "щоб", "бо", "хоча"}
    | {"что", "который", "где", "когда", "чтобы", "потому", "хотя"}
    | {"which", "who", "whom", "where", "when", "because", "although"}
)
#: relative pronouns whose antecedent (the name before the comma) is the subject of their clause
#: (seed 001 "зв'язки з Пхеньяном, який постачає країні-агресорці боєприпаси": Pyongyang supplies)
RELATIVE_SUBJECTS = frozenset({"який", "котрий", "который", "which", "who"})
#: relative adverbs of place: their antecedent is the place of the clause ("Пхеньян, де підписав")
RELATIVE_PLACES = frozenset({"де", "где", "where"})
#: how many agreeing words may stand between a preposition and the name it governs
#: ("із північнокорейським лідером Кім Чен Ином")
GOVERNED_WORDS = 3
#: the other party of a meeting or agreement: "з/с" + instrumental
WITH_PREPOSITIONS = frozenset({"з", "із", "зі", "с", "со", "with"})
#: types with a target worth a common noun when no name is one, the words looked at after the trigger,
#: and the prepositions that make a noun something else (a place, a time, a topic)
TARGETED_TYPES = frozenset(
    {
        "COERCE",
        "ACCUSE",
        "REQUEST",
        "THREATEN",
        "SUPPORT",
        "REJECT",
        "ASSAULT",
        "CASUALTY_REPORT",
        "SANCTION",
        "AID",
    }
)
OBJECT_WINDOW = 4
PREPOSITIONS = frozenset(
    {"у", "в", "во", "на", "до", "з", "із", "зі", "с", "со", "про", "о", "об", "за", "по", "від", "от", "для"}
)
#: types whose passive subject is the patient (a target), not the actor
PATIENT_TYPES = frozenset({"COERCE", "ASSAULT", "CASUALTY_REPORT"})
#: how far before the trigger a common-noun subject is looked for, in words (dev gold set actor F1: no
#: common-noun subjects uk 0.43 / ru 0.49; 6 words 0.53 / 0.56; 12 words 0.54 / 0.60; 20 words 0.54 / 0.60)
SUBJECT_WINDOW = 12
#: nationality adjectives (lemmas) and the country they stand for, as the linker's key: an actor when the
#: sentence names none ("північнокорейські війська були відправлені до Росії": North Korea deploys)
DEMONYMS: dict[str, str] = {
    "північнокорейський": "LOC:північна корея", "південнокорейський": "LOC:південна корея",
    "російський": "LOC:росія", "український": "LOC:україна", "американський": "LOC:сша",
    "китайський": "LOC:китай", "японський": "LOC:японія", "іранський": "LOC:іран",
    "білоруський": "LOC:білорусь", "британський": "LOC:велика британія",
    "северокорейский": "LOC:северная корея", "южнокорейский": "LOC:южная корея",
    "российский": "LOC:россия", "украинский": "LOC:украина", "американский": "LOC:сша",
    "китайский": "LOC:китай", "японский": "LOC:япония", "иранский": "LOC:иран",
    "белорусский": "LOC:беларусь", "британский": "LOC:великобритания",
}  # fmt: skip
#: words of a speaker phrase kept ("агенція новин AP"), and words that are not part of one
SPEAKER_WORDS = 6
SPEAKER_STOP = frozenset(
    {"і", "й", "та", "а", "але", "и", "но", "що", "что", "це", "это", "також", "также", "вже", "уже"}
    | {"я", "ми", "мы", "можу", "могу", "може", "может", "сьогодні", "сегодня"}
)
#: a headline's source after a closing dash: "… розгорнуті в Курській області РФ – Рютте", "… - ЗМІ"
HEADLINE_SOURCE = re.compile(r"\s[–—-]\s*(?P<who>[^\s.!?,–—-][^.!?,–—-]{0,40}?)\s*\.?$")
#: words after a closing dash that put the speaker after them ("…", - переконаний він); a lower-case tail
#: that does not start with one is a gloss, not a source ("…, - явная ссылка на нападение на Украину")
DASH_VERBS = SAYING | {"переконаний", "вважати", "впевнений", "считать", "убежденный", "уверенный", "add"}
#: personal pronouns that stand for the last person named before ("- переконаний він": Rutte)
PRONOUNS = frozenset({"він", "вона", "он", "она", "he", "she"})
#: words of a cited source kept in the chain
CITED_WORDS = 4


@lru_cache(maxsize=1)
def ontology() -> dict[str, EventType]:
    table = resources.files("litopys").joinpath("data/events/ontology.tsv").read_text(encoding="utf-8")
    types = {}
    for line in table.splitlines():
        if line.strip() and not line.startswith("#"):
            name, plover, mode, *_ = line.split("\t")
            types[name] = EventType(name, plover, mode)
    return types


@lru_cache(maxsize=1)
def triggers() -> tuple[Trigger, ...]:
    """Trigger rows, the longest lemma sequences first."""
    table = resources.files("litopys").joinpath("data/events/triggers.tsv").read_text(encoding="utf-8")
    rows = []
    for line in table.splitlines():
        if line.strip() and not line.startswith("#"):
            lang, lemmas, type_, *_ = line.split("\t")
            if type_ not in ontology():
                raise ValueError(f"triggers.tsv: unknown event type {type_!r}")
            rows.append(Trigger(lang, tuple(lemmas.split()), type_))
    return tuple(sorted(rows, key=lambda t: -len(t.lemmas)))


def _cases(word: str, lang: str) -> tuple[str, ...]:
    """The cases pymorphy3 allows for ``word``, the likeliest first ("Росії": gent, datv, loct)."""
    if lang not in ("uk", "ru") or not re.search("[а-яіїєґё]", word.lower()):
        return ()
    return tuple(dict.fromkeys(str(p.tag.case) for p in morph(lang).parse(word)[:6] if p.tag.case))


def _role(article: Article, m: Mention) -> Role:
    return Role(m.start, m.end, m.text, m.key or m.lemma or m.text)


def _clause(article: Article, tokens: Sequence[Token], trigger: Token) -> tuple[int, int, Token | None]:
    """The character bounds of the trigger's clause in its sentence, and the subordinator opening it:
    a clause starts at a word of :data:`SUBORDINATORS` after a comma (", що", ", за якою")."""
    left, right, opener = tokens[0].start, tokens[-1].end + 1, None
    for i in range(1, len(tokens)):
        if tokens[i].lemma not in SUBORDINATORS:
            continue
        first = i
        if tokens[i - 1].lemma in PREPOSITIONS and i >= 2:
            first = i - 1  # ", за якою", ", в котором"
        if "," not in article.text[tokens[first - 1].end : tokens[first].start]:
            continue
        if tokens[first].start <= trigger.start:
            left, opener = tokens[first].start, tokens[i]
        else:
            right = tokens[first].start
            break
    return left, right, opener


def _governing_word(article: Article, tokens: Sequence[Token], index: int, lang: str) -> str:
    """The preposition that governs the name starting at ``tokens[index]``, or "": agreeing words
    between are skipped ("із північнокорейським лідером Кім Чен Ином", "на российском космодроме
    Восточный", "у місті Цуг")."""
    head_cases = set(_cases(article.text[tokens[index].start : tokens[index].end], lang))
    for back in range(1, min(GOVERNED_WORDS, index) + 1):
        token = tokens[index - back]
        word = article.text[token.start : token.end].lower()
        if word in PREPOSITIONS or word in IN_PREPOSITIONS or word in TO_PREPOSITIONS:
            return word
        if lang == "en":
            break
        if back == 1 and token.lemma in PLACE_NOUNS:
            # "в городах Равалпинди": a foreign name need not agree with its place noun; the words
            # before agree with the place noun
            head_cases = set(_cases(word, lang))
            continue
        if not word.islower() or not head_cases & set(_cases(word, lang)):
            break
    return ""


def _roles(
    article: Article,
    tokens: Sequence[Token],
    mentions: Sequence[Mention],
    trigger: Token,
    lang: str,
    kind: str = "",
) -> tuple[tuple[Role, ...], tuple[Role, ...], Role | None]:
    index_of = {token.start: i for i, token in enumerate(tokens)}
    left, right, opener = _clause(article, tokens, trigger)
    actors: list[tuple[int, Mention]] = []
    outer: list[tuple[int, Mention]] = []  # subjects before the clause, for a clause without one
    targets: list[Mention] = []
    location: Mention | None = None
    passive = _passive(article.text[trigger.start : trigger.end], lang)
    previous: Mention | None = None
    for m in mentions:
        if m.type not in ("PER", "ORG", "LOC"):
            continue
        if previous is not None and article.text[previous.end : m.start].strip() == "(":
            continue  # "Корейської Народно-Демократичної Республіки (КНДР)": an alias of the name before
        previous = m
        inside = left <= m.start < right
        if not inside and m.start >= right:
            continue  # a later clause: "…, за якою стежили …, що Кім погодився постачати … Кремля"
        index = index_of.get(m.start)
        preposition = _governing_word(article, tokens, index, lang) if index is not None else ""
        head = m.text.split()[0] if lang in ("uk", "ru") else m.text
        cases = _cases(head, lang)
        case = cases[0] if cases else ""
        if not inside:
            if not preposition and (case == "nomn" or lang == "en"):
                outer.append((trigger.start - m.start, m))
            continue
        if preposition in TO_PREPOSITIONS or (
            preposition in WITH_PREPOSITIONS and (not cases or "ablt" in cases or lang == "en")
        ):
            targets.append(m)  # "до Росії"; "зустрівся з Юнкером": the other party
        elif preposition in IN_PREPOSITIONS:
            if case == "accs" and m.type == "LOC" and m.start > trigger.start:
                targets.append(m)  # "в Россию": the direction
            elif location is None and m.type == "LOC":
                location = m
        elif case == "datv" or ("datv" in cases and case != "nomn" and m.start > trigger.start):
            targets.append(m)  # "постачати Росії": a dative after the verb is the recipient
        elif not preposition and case == "accs" and m.start > trigger.start:
            targets.append(m)  # "критиковал Терезу Мэй": the accusative object
        elif passive and kind in PATIENT_TYPES and case == "nomn":
            targets.append(
                m
            )  # "губернатор … был убит", "Бібі засуджена": the subject of a passive is the patient
        elif any(
            t.lemma in SAYING and (m.end <= t.start < trigger.start or 0 <= m.start - t.end <= 2)
            for t in tokens
        ):
            continue  # "Рютте підтвердив розгортання…", "…, - сказав Рютте": the speaker is the source
        elif case == "nomn" or (lang == "en" and m.start < trigger.start):
            distance = (
                trigger.start - m.start if m.start < trigger.start else 10_000 + m.start - trigger.start
            )
            actors.append((distance, m))
    if opener is not None and not actors:
        antecedent = max((m for m in mentions if m.end <= opener.start), key=lambda m: m.end, default=None)
        near = antecedent is not None and article.text[antecedent.end : opener.start].strip(" ,") == ""
        if antecedent is not None and opener.lemma in RELATIVE_PLACES:
            outer = [(d, m) for d, m in outer if m is not antecedent]  # the place, not the subject
        if near and antecedent is not None and opener.lemma in RELATIVE_SUBJECTS:
            actors.append((0, antecedent))  # "з Пхеньяном, який постачає …": Pyongyang supplies
        elif near and antecedent is not None and opener.lemma in RELATIVE_PLACES and antecedent.type == "LOC":
            location = location or antecedent  # "відвідав Пхеньян, де підписав …": in Pyongyang
        if not actors and opener.lemma not in RELATIVE_SUBJECTS:
            actors = outer  # "Путін відвідав Пхеньян, де підписав …": the main clause's subject
    if kind in PERSON_ACTED and any(m.type == "PER" for _, m in actors):
        actors = [(d, m) for d, m in actors if m.type == "PER"]  # people visit, meet and sign
    actors.sort(key=lambda item: item[0])
    chosen = [actors[0][1]] if actors else []
    # coordinated actors: "Кім Чен Ин і Володимир Путін зустрілися"
    if chosen:
        for _, m in actors[1:]:
            between = article.text[min(m.end, chosen[0].end) : max(m.start, chosen[0].start)].strip().lower()
            if between in ("і", "й", "та", "и", "and", ","):
                chosen.append(m)
    actor_roles = tuple(_role(article, m) for m in sorted(chosen, key=lambda m: m.start))
    if not actor_roles and lang in ("uk", "ru") and not (passive and kind in PATIENT_TYPES):
        subject = _noun_subject(article, tokens, trigger, lang)
        nation = _demonym(article, tokens, trigger, lang, left, right)
        if nation is not None and subject is not None and 0 <= subject.start - nation.end <= 1:
            # "північнокорейські війська": the troops' country acts, the span is the phrase
            subject = Role(nation.start, subject.end, article.text[nation.start : subject.end], nation.key)
        elif nation is not None and (subject is None or subject.start > trigger.start):
            subject = nation
        if subject is not None:
            actor_roles = (subject,)
    target_roles = tuple(_role(article, m) for m in targets if m not in chosen)
    if not target_roles and lang in ("uk", "ru") and kind in TARGETED_TYPES:
        cases = ("nomn",) if passive and kind in PATIENT_TYPES else ("accs", "datv")
        obj = _noun_after(article, tokens, trigger, lang, cases)
        if obj is not None and all(obj.start != r.start for r in actor_roles):
            target_roles = (obj,)
    return actor_roles, target_roles, _role(article, location) if location else None


def _demonym(
    article: Article, tokens: Sequence[Token], trigger: Token, lang: str, left: int, right: int
) -> Role | None:
    """A nationality adjective of the trigger's clause standing for its country (:data:`DEMONYMS`), not
    after a preposition: before the trigger within :data:`SUBJECT_WINDOW` words ("північнокорейські
    війська були відправлені"), or right after a noun trigger ("розгортання північнокорейських військ")."""
    at = next(i for i, t in enumerate(tokens) if t.start == trigger.start)
    window = list(range(max(0, at - SUBJECT_WINDOW), at))
    parses = morph(lang).parse(article.text[trigger.start : trigger.end])[:1]
    if parses and parses[0].tag.POS == "NOUN":
        window.append(at + 1)  # the genitive after a noun trigger: "розгортання північнокорейських військ"
    for i in sorted(window, key=lambda i: abs(i - at)):
        if not 0 <= i < len(tokens) or not left <= tokens[i].start < right:
            continue
        token = tokens[i]
        key = DEMONYMS.get(token.lemma)
        if key and (i == 0 or tokens[i - 1].lemma not in PREPOSITIONS):
            return Role(token.start, token.end, article.text[token.start : token.end], key)
    return None


def _noun_after(
    article: Article, tokens: Sequence[Token], trigger: Token, lang: str, cases: tuple[str, ...]
) -> Role | None:
    """The first noun in one of ``cases`` within :data:`OBJECT_WINDOW` words after the trigger (no
    preposition before it): "закликав своїх прихильників", "арештовано 150 людей"."""
    after = [t for t in tokens if t.start >= trigger.end][:OBJECT_WINDOW]
    previous = ""
    for token in after:
        word = article.text[token.start : token.end]
        parses = morph(lang).parse(word)[:1]
        if (
            parses
            and parses[0].tag.POS == "NOUN"
            and parses[0].tag.case in cases
            and previous not in PREPOSITIONS
        ):
            return Role(token.start, token.end, word, "")
        previous = word.lower()
    return None


def _passive(word: str, lang: str) -> bool:
    """A passive participle ("убит", "засуджена") or a uk impersonal form in -но/-то ("арештовано")."""
    if lang not in ("uk", "ru"):
        return False
    parses = morph(lang).parse(word)[:1]
    return bool(parses) and bool({"pssv", "Impe"} & parses[0].tag.grammemes)


def _noun_subject(article: Article, tokens: Sequence[Token], trigger: Token, lang: str) -> Role | None:
    """A common-noun subject when no name is one: the nearest nominative noun before the trigger
    ("Пілоти Ryanair оголосили страйк", "уряд заборонив"), within :data:`SUBJECT_WINDOW` words."""
    before = [t for t in tokens if t.end <= trigger.start][-SUBJECT_WINDOW:]
    for token in reversed(before):
        word = article.text[token.start : token.end]
        if token.lemma in SAYING:
            return None  # a clause boundary of reported speech: the subject there is the speaker
        parses = morph(lang).parse(word)[:2]
        if parses and parses[0].tag.POS == "NOUN" and parses[0].tag.case == "nomn":
            return Role(token.start, token.end, word, "")
    return None


def _subject_like(name: str, lang: str) -> bool:
    """Whether a name can be a subject: its first word nominative, or every word allowed to be (a
    first name that is also a common noun: "Ангела Меркель"), or without case (Latin, indeclinable)."""
    words = name.split()
    cases = _cases(words[0], lang)
    if not cases or cases[0] == "nomn":
        return True
    return len(words) > 1 and all("nomn" in _cases(word, lang) or not _cases(word, lang) for word in words)


def _status(lemmas: Sequence[str], trigger_index: int) -> str:
    if trigger_index and lemmas[trigger_index - 1] in NEGATIONS:
        return "denied"
    present = set(lemmas)
    for status, cues in STATUS_CUES:
        if present & cues:
            return status
    return "reported"


def _speaker(
    article: Article, verb: Token, offset: int, sentence: str, mentions: Sequence[Mention], lang: str
) -> str:
    """Who says it, for one verb of saying (empty when the sentence does not say)."""
    local = verb.start - offset
    before = sentence[:local]
    clause_start = max(before.rfind(ch) for ch in ",;:—–(") + 1
    lead = before[clause_start:].strip().lower()
    if lead.split()[:1] in (["про"], ["о"], ["об"]):
        # "Про затримання … повідомив … міністр Фавад Чаудхрі": the topic leads, the speaker follows
        named_after = [
            m
            for m in mentions
            if m.type in ("PER", "ORG") and m.start >= verb.end and _subject_like(m.text, lang)
        ]
        if named_after:
            return min(named_after, key=lambda m: m.start).text
    if lead in ("", "як", "как", "-", "так", "также", "також"):
        # ", передає агенція AP." / "Як повідомляє The Sunday Times, …": the speaker follows the verb
        after = sentence[verb.end - offset :]
        cut = min((i for i in (after.find(ch) for ch in ',.;:!?«"') if i >= 0), default=len(after))
        cited = CITING.search(after[:cut])
        words = after[: cited.start() if cited else cut].split()[:SPEAKER_WORDS]
        while words and words[0].lower() in PREPOSITIONS:
            words = words[1:]  # "Як розповіли в Міноборони РФ": the ministry
        if words:
            return " ".join(words)
    last = before.split()[-1:]
    if last and last[0].lower() in PRONOUNS:
        return last[0]  # "З огляду на це він констатував": resolved by the caller
    # "пакистанська поліція повідомила…", "Тереза Мей заявила…": a subject before the verb
    named = [
        m
        for m in mentions
        if m.type in ("PER", "ORG", "LOC") and m.end <= verb.start and _subject_like(m.text, lang)
    ]
    if named:
        chosen = max(named, key=lambda m: m.end)  # "Раніше в середу Південна Корея повідомила"
        head = _noun_phrase(sentence[max(0, chosen.start - offset - 40) : chosen.start - offset], lang)
        if head and sentence[: chosen.start - offset].rstrip().endswith(head):
            return f"{head.split()[-1]} {chosen.text}"  # "Представники США попереджали"
        return chosen.text
    phrase = _noun_phrase(before[clause_start:], lang)
    if phrase:
        return phrase  # "Один високопоставлений південнокорейський чиновник … сказав"
    words = before[clause_start:].split()[-SPEAKER_WORDS:]
    subject = [w for w in words if w.lower() not in SPEAKER_STOP]
    return " ".join(subject[-3:]) if subject else ""


def _noun_phrase(text: str, lang: str) -> str:
    """The last nominative noun of ``text`` with the agreeing adjectives before it ("високопоставлений
    південнокорейський чиновник"), or "" (English: no morphology, so "")."""
    if lang not in ("uk", "ru"):
        return ""
    words = re.findall(r"[\w'’ʼ-]+", text)[-SPEAKER_WORDS * 2 :]
    for i in range(len(words) - 1, -1, -1):
        parse = morph(lang).parse(words[i])[0]
        if parse.tag.POS == "NOUN" and parse.tag.case == "nomn" and words[i].lower() not in SPEAKER_STOP:
            first = i
            while first > 0 and {"ADJF", "nomn"} <= morph(lang).parse(words[first - 1])[0].tag.grammemes:
                first -= 1
            return " ".join(words[first : i + 1][-SPEAKER_WORDS:])
    return ""


def _dash_source(sentence: str, offset: int, tokens: Sequence[Token], lang: str) -> str:
    """The source after a closing dash ("… – Рютте", "…, - сказав Рютте"), or ""."""
    tail = HEADLINE_SOURCE.search(sentence)
    if not tail:
        return ""
    who = tail.group("who").strip()
    if who[:1].islower():
        first = next((t for t in tokens if t.start == offset + tail.start("who")), None)
        if first is not None and first.lemma in DASH_VERBS:
            return who.split(maxsplit=1)[1] if " " in who else ""
        parses = morph(lang).parse(who.split()[0])[:1] if lang in ("uk", "ru") else []
        noun = bool(parses) and parses[0].tag.POS == "NOUN" and parses[0].tag.case == "nomn"
        if not noun or len(who.split()) > 3:
            return ""  # "- міністр", "– ЗМІ" are sources; "- явная ссылка на нападение" is a gloss
    return who


def _attribution(
    article: Article,
    sentence: str,
    offset: int,
    tokens: Sequence[Token],
    mentions: Sequence[Mention],
    last_person: str = "",
) -> tuple[str, ...]:
    chain: list[str] = []
    lang = article.lang
    tail = _dash_source(sentence, offset, tokens, lang)
    if tail:
        chain.append(tail)
    for verb in (t for t in tokens if t.lemma in SAYING and not tail):
        speaker = _speaker(article, verb, offset, sentence, mentions, lang)
        if speaker:
            chain.append(speaker)
            break
    cited = CITING.search(sentence)
    if cited:
        words = cited.group("who").split()[:CITED_WORDS]
        chain.append(" ".join(words))
    # "- переконаний він", "Він також поінформував": the person named last before
    chain = [last_person if who.lower() in PRONOUNS else who for who in chain]
    if article.source and article.source not in chain:
        chain.insert(0, article.source)
    return tuple(dict.fromkeys(who for who in chain if who))


def extract(article: Article, /) -> Article:
    """The article with ``events``: one per trigger found in a sentence (module docs)."""
    if not article.tokens or not article.sentences:
        return article
    published = parse_published(article.published)
    types = ontology()
    events: list[Event] = []
    tokens_all = [t for t in article.tokens if article.text[t.start : t.end][:1].isalnum()]
    title_end = article.paragraphs[0].end if article.paragraphs else 0
    body = article.text[title_end:]
    # a pronoun speaker is the last person named beside a verb of saying ("Рютте нагадав", "- сказав
    # Рютте"), not the last person named ("- переконаний він" after a quote about Putin is Rutte)
    sayings = [t for t in tokens_all if t.lemma in SAYING]
    people = [
        m
        for m in article.mentions
        if m.type == "PER" and any(0 <= t.start - m.end <= 2 or 0 <= m.start - t.end <= 2 for t in sayings)
    ]
    for sentence in article.sentences:
        last_person = next((m.text for m in reversed(people) if m.end <= sentence.start), "")
        if sentence.end <= title_end and article.text[sentence.start : sentence.end].strip() in body:
            continue  # a title made of the body's first sentence (seed 001): its events are the body's
        tokens = [t for t in tokens_all if sentence.start <= t.start < sentence.end]
        if not tokens:
            continue
        lang = (
            next((p.lang for p in article.paragraphs if p.start <= sentence.start < p.end), article.lang)
            or article.lang
        )
        lemmas = [t.lemma for t in tokens]
        present = set(lemmas)
        used: set[int] = set()
        seen_types: set[str] = set()
        mentions = [m for m in article.mentions if sentence.start <= m.start < sentence.end]
        text = article.text[sentence.start : sentence.end]
        for trigger in triggers():
            if trigger.lang != lang or trigger.type in seen_types or not set(trigger.lemmas) <= present:
                continue
            index = lemmas.index(trigger.lemmas[0])
            if index in used:
                continue
            used.add(index)
            seen_types.add(trigger.type)
            head = tokens[index]
            objects = [tokens[lemmas.index(lemma)] for lemma in trigger.lemmas[1:]]
            actors, targets, location = _roles(article, tokens, mentions, head, lang, trigger.type)
            dates = find_dates(text, published=published)
            when = dates[0] if dates else None
            kind = types[trigger.type]
            events.append(
                Event(
                    start=sentence.start,
                    end=sentence.end,
                    trigger_start=head.start,
                    trigger_end=head.end,
                    type=kind.name,
                    plover=kind.plover,
                    mode=kind.mode,
                    actors=actors,
                    targets=targets,
                    location=location,
                    object=" ".join(article.text[o.start : o.end] for o in objects),
                    date_start=str(when.value_start) if when and when.year_known else None,
                    date_end=str(when.value_end) if when and when.year_known else None,
                    granularity=when.granularity if when and when.year_known else "",
                    date_text=when.text if when else "",
                    status=_status(lemmas, index),
                    attributed_to=_attribution(article, text, sentence.start, tokens, mentions, last_person),
                )
            )
    return article.evolve(events=tuple(sorted(events, key=lambda e: e.trigger_start)))
