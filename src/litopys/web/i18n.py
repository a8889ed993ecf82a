"""The words of the web pages in the UI languages (Ukrainian and English), and how a request picks one.

A page is shown in the language of ``?ui=uk|en`` (remembered in the :data:`COOKIE` cookie), else the
cookie's, else the first of the browser's ``Accept-Language`` that is a UI language, else English.
Article text is never translated: it keeps its own language (and ``lang`` attribute).
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.requests import Request

__all__ = [
    "COOKIE",
    "DEFAULT",
    "UI_LANGS",
    "entity_type_label",
    "event_type_label",
    "from_accept_language",
    "language_name",
    "requested_ui",
    "status_label",
    "strings",
    "ui_lang",
]

#: the UI languages, in the order of the switch in the header
UI_LANGS = ("uk", "en")
DEFAULT = "en"
#: the cookie that remembers the UI language chosen with ``?ui=``
COOKIE = "litopys_ui"

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "tagline": "a sourced chronicle of uk/ru/en news",
        "nav_home": "Storylines",
        "nav_search": "Search",
        "nav_api": "JSON API",
        "skip": "Skip to content",
        "ui_switch": "Interface language",
        "search_placeholder": "Search the news…",
        "search_button": "Search",
        "home_title": "Chronicle",
        "home_lead": "Storylines assembled from {documents} documents in {languages}, with their events and sources.",
        "documents": "Documents",
        "document": "Document",
        "storylines": "Storylines",
        "storyline": "Storyline",
        "event_cluster": "Event cluster",
        "event_clusters": "Event clusters",
        "events": "Events",
        "event": "Event",
        "entities": "Entities",
        "entity": "Entity",
        "languages": "Languages",
        "language": "Language",
        "latest_events": "Latest events",
        "no_storylines": "No storylines yet: ingest some news with `litopys ingest`.",
        "no_events": "No events.",
        "n_documents": "{n} documents",
        "n_documents_one": "1 document",
        "n_sources": "{n} sources",
        "n_sources_one": "1 source",
        "n_clusters": "{n} event clusters",
        "n_clusters_one": "1 event cluster",
        "n_mentions": "{n} mentions",
        "n_mentions_one": "1 mention",
        "n_events": "{n} events",
        "n_events_one": "1 event",
        "n_shared": "{n} shared documents",
        "n_shared_one": "1 shared document",
        "dates": "Dates",
        "first_last": "{first} – {last}",
        "undated": "undated",
        "first_report": "first reported {date}",
        "page_of": "Page {page} of {pages}",
        "previous": "Previous",
        "next": "Next",
        "summary": "Summary",
        "summary_fallback": "No sentence of this story is in English: the summary quotes its sources' languages.",
        "summary_empty": "Nothing to summarise.",
        "summary_source": "source",
        "timeline": "Timeline",
        "timeline_note": "Each mark is a canonical event at the date it happened; hollow marks are undated events, "
        "placed at their first report. Choose a type to filter.",
        "timeline_occurred": "occurred",
        "timeline_reported": "undated: first report",
        "timeline_label": "Events over time",
        "all_types": "All types",
        "filtered_by": "Showing {type} only.",
        "show_all": "Show all",
        "more_events": "… and {n} more events",
        "more_documents": "… and {n} more documents",
        "more_clusters": "… and {n} smaller event clusters",
        "more_sources": "… and {n} more sources",
        "summary_pending": "The summary is being prepared; it appears here in a moment.",
        "summary_failed": "The summary could not be made.",
        "reload": "Reload",
        "undated_events": "Undated events ({n}), the most reported first",
        "no_outlet": "outlet not named",
        "part_of": "Part of storyline",
        "documents_by_lang": "Documents by language",
        "event_type": "Type",
        "status": "Status",
        "date": "Date",
        "actors": "Actors",
        "targets": "Targets",
        "location": "Location",
        "object": "Object",
        "plover": "PLOVER class",
        "reported": "Reported",
        "sources": "Sources",
        "sources_note": "Every source sentence that reports this event, side by side; the trigger word is highlighted.",
        "attribution": "Attribution",
        "attribution_none": "the sentence names no source",
        "outlet": "Outlet",
        "published": "Published",
        "open_document": "Open the document",
        "unknown_actor": "unknown actor",
        "in_stories": "Told in",
        "names": "Names",
        "names_by_lang": "Names by language",
        "aliases": "Forms and aliases",
        "type": "Type",
        "mentions": "Mentions",
        "cooccurring": "Occurs with",
        "entity_events": "Events with this entity",
        "entity_documents": "Documents mentioning it",
        "metadata": "Metadata",
        "id": "Id",
        "path": "Input",
        "url": "URL",
        "format": "Format",
        "encoding": "Encoding",
        "version": "Version",
        "ingested": "Ingested",
        "supersedes": "Supersedes",
        "superseded": "A newer version of this input exists:",
        "text": "Text",
        "text_legend": "Highlighted: names (linked to their entity), event triggers (linked to the event) "
        "and the cited sentence.",
        "legend_entity": "name",
        "legend_trigger": "event trigger",
        "legend_cited": "cited",
        "removed": "Removed page furniture ({n})",
        "removed_note": "Segments the cleaner removed from the page, with the rule that removed each.",
        "removed_none": "Nothing was removed.",
        "rule": "Rule",
        "related": "Related documents",
        "duplicate_exact": "exact duplicate",
        "duplicate_near": "near duplicate",
        "duplicate_translation": "translation",
        "no_related": "No duplicates or translations.",
        "doc_events": "Events in this document",
        "doc_entities": "Names in this document",
        "search_title": "Search",
        "search_lead": "Full text over word base forms in Ukrainian, Russian and English; names find their "
        "entity in every language.",
        "query": "Query",
        "any": "any",
        "from": "From",
        "to": "To",
        "date_hint": "YYYY, YYYY-MM or YYYY-MM-DD",
        "results": "{n} results",
        "results_one": "1 result",
        "results_capped": "The {n} best results",
        "no_results": "Nothing found.",
        "search_examples": "Try",
        "score": "score",
        "error": "Error",
        "error_404": "Not found",
        "error_400": "Bad request",
        "error_405": "Method not allowed",
        "error_422": "Invalid request",
        "error_500": "Internal error",
        "error_back": "Back to the storylines",
        "not_found_story": "No storyline or event cluster {id}.",
        "not_found_event": "No event {id}.",
        "not_found_entity": "No entity {id}.",
        "not_found_document": "No document {id}.",
        "bad_param": "Bad parameter {name}: {problem}.",
        "bad_date": "expected YYYY, YYYY-MM or YYYY-MM-DD",
        "bad_lang": "expected one of {choices}",
        "bad_type": "unknown event type",
        "bad_page": "expected a page number from 1",
        "bad_range": "expected START-END character offsets",
        "bad_limit": "expected a number from 1 to {max}",
        "too_long": "at most {n} characters",
        "footer": "litopys {version} · quotes are source sentences as ingested; an event's date is when it "
        "happened, a source's when it was published.",
        "lang_uk": "Ukrainian",
        "lang_ru": "Russian",
        "lang_en": "English",
        "lang_other": "other",
    },
    "uk": {
        "tagline": "хроніка новин українською, російською та англійською з джерелами",
        "nav_home": "Сюжети",
        "nav_search": "Пошук",
        "nav_api": "JSON API",
        "skip": "Перейти до змісту",
        "ui_switch": "Мова інтерфейсу",
        "search_placeholder": "Пошук у новинах…",
        "search_button": "Шукати",
        "home_title": "Хроніка",
        "home_lead": "Сюжети, зібрані з {documents} документів ({languages}), з їхніми подіями та джерелами.",
        "documents": "Документи",
        "document": "Документ",
        "storylines": "Сюжети",
        "storyline": "Сюжет",
        "event_cluster": "Кластер події",
        "event_clusters": "Кластери подій",
        "events": "Події",
        "event": "Подія",
        "entities": "Сутності",
        "entity": "Сутність",
        "languages": "Мови",
        "language": "Мова",
        "latest_events": "Останні події",
        "no_storylines": "Сюжетів ще немає: завантажте новини командою `litopys ingest`.",
        "no_events": "Подій немає.",
        "n_documents": "документів: {n}",
        "n_documents_one": "1 документ",
        "n_sources": "джерел: {n}",
        "n_sources_one": "1 джерело",
        "n_clusters": "кластерів подій: {n}",
        "n_clusters_one": "1 кластер подій",
        "n_mentions": "згадок: {n}",
        "n_mentions_one": "1 згадка",
        "n_events": "подій: {n}",
        "n_events_one": "1 подія",
        "n_shared": "спільних документів: {n}",
        "n_shared_one": "1 спільний документ",
        "dates": "Дати",
        "first_last": "{first} – {last}",
        "undated": "без дати",
        "first_report": "перше повідомлення {date}",
        "page_of": "Сторінка {page} з {pages}",
        "previous": "Попередня",
        "next": "Наступна",
        "summary": "Коротко",
        "summary_fallback": "Жодне речення цього сюжету не написане українською: резюме цитує джерела їхніми мовами.",
        "summary_empty": "Нічого підсумовувати.",
        "summary_source": "джерело",
        "timeline": "Хронологія",
        "timeline_note": "Кожна позначка — канонічна подія на дату, коли вона сталася; порожні позначки — події "
        "без дати, на дату першого повідомлення. Оберіть тип, щоб відфільтрувати.",
        "timeline_occurred": "сталися",
        "timeline_reported": "без дати: перше повідомлення",
        "timeline_label": "Події в часі",
        "all_types": "Усі типи",
        "filtered_by": "Показано лише: {type}.",
        "show_all": "Показати всі",
        "more_events": "… і ще подій: {n}",
        "more_documents": "… і ще документів: {n}",
        "more_clusters": "… і ще менших кластерів подій: {n}",
        "more_sources": "… і ще джерел: {n}",
        "summary_pending": "Резюме готується; воно з’явиться тут за мить.",
        "summary_failed": "Не вдалося скласти резюме.",
        "reload": "Оновити",
        "undated_events": "Події без дати ({n}), спершу ті, про які повідомляли найбільше",
        "no_outlet": "видання не вказано",
        "part_of": "Частина сюжету",
        "documents_by_lang": "Документи за мовами",
        "event_type": "Тип",
        "status": "Статус",
        "date": "Дата",
        "actors": "Хто",
        "targets": "Щодо кого",
        "location": "Де",
        "object": "Об’єкт",
        "plover": "Клас PLOVER",
        "reported": "Повідомлено",
        "sources": "Джерела",
        "sources_note": "Усі речення-джерела про цю подію поруч; слово-тригер виділено.",
        "attribution": "Посилання на джерело",
        "attribution_none": "речення не називає джерела",
        "outlet": "Видання",
        "published": "Опубліковано",
        "open_document": "Відкрити документ",
        "unknown_actor": "невідомий учасник",
        "in_stories": "У сюжетах",
        "names": "Назви",
        "names_by_lang": "Назви за мовами",
        "aliases": "Форми та інші назви",
        "type": "Тип",
        "mentions": "Згадки",
        "cooccurring": "Трапляється разом з",
        "entity_events": "Події за участю",
        "entity_documents": "Документи, де згадується",
        "metadata": "Метадані",
        "id": "Ідентифікатор",
        "path": "Вхідний файл",
        "url": "URL",
        "format": "Формат",
        "encoding": "Кодування",
        "version": "Версія",
        "ingested": "Завантажено",
        "supersedes": "Замінює",
        "superseded": "Є новіша версія цього файлу:",
        "text": "Текст",
        "text_legend": "Виділено: назви (посилання на сутність), тригери подій (посилання на подію) "
        "та процитоване речення.",
        "legend_entity": "назва",
        "legend_trigger": "тригер події",
        "legend_cited": "цитата",
        "removed": "Вилучені службові елементи сторінки ({n})",
        "removed_note": "Фрагменти, які очищення прибрало зі сторінки, і правило, за яким прибрано кожен.",
        "removed_none": "Нічого не вилучено.",
        "rule": "Правило",
        "related": "Пов’язані документи",
        "duplicate_exact": "точна копія",
        "duplicate_near": "майже копія",
        "duplicate_translation": "переклад",
        "no_related": "Копій і перекладів немає.",
        "doc_events": "Події в цьому документі",
        "doc_entities": "Назви в цьому документі",
        "search_title": "Пошук",
        "search_lead": "Повнотекстовий пошук за початковими формами слів українською, російською та англійською; "
        "назви знаходять свою сутність будь-якою мовою.",
        "query": "Запит",
        "any": "будь-яка",
        "from": "Від",
        "to": "До",
        "date_hint": "РРРР, РРРР-ММ або РРРР-ММ-ДД",
        "results": "Результатів: {n}",
        "results_one": "1 результат",
        "results_capped": "{n} найкращих результатів",
        "no_results": "Нічого не знайдено.",
        "search_examples": "Спробуйте",
        "score": "оцінка",
        "error": "Помилка",
        "error_404": "Не знайдено",
        "error_400": "Неправильний запит",
        "error_405": "Метод не дозволено",
        "error_422": "Неправильний запит",
        "error_500": "Внутрішня помилка",
        "error_back": "До сюжетів",
        "not_found_story": "Немає сюжету чи кластера подій {id}.",
        "not_found_event": "Немає події {id}.",
        "not_found_entity": "Немає сутності {id}.",
        "not_found_document": "Немає документа {id}.",
        "bad_param": "Неправильний параметр {name}: {problem}.",
        "bad_date": "очікується РРРР, РРРР-ММ або РРРР-ММ-ДД",
        "bad_lang": "очікується одне з {choices}",
        "bad_type": "невідомий тип події",
        "bad_page": "очікується номер сторінки від 1",
        "bad_range": "очікуються зміщення ПОЧАТОК-КІНЕЦЬ",
        "bad_limit": "очікується число від 1 до {max}",
        "too_long": "щонайбільше {n} символів",
        "footer": "litopys {version} · цитати — речення джерел як їх завантажено; дата події — коли вона "
        "сталася, дата джерела — коли його опубліковано.",
        "lang_uk": "українська",
        "lang_ru": "російська",
        "lang_en": "англійська",
        "lang_other": "інша",
    },
}

#: event types (``data/events/ontology.tsv``) in the UI languages
EVENT_TYPES: dict[str, dict[str, str]] = {
    "en": {
        "AGREE": "Agreement",
        "CONSULT": "Consultation",
        "SUPPORT": "Support",
        "COOPERATE": "Cooperation",
        "AID": "Aid",
        "REQUEST": "Request",
        "ACCUSE": "Accusation",
        "REJECT": "Rejection",
        "THREATEN": "Threat",
        "PROTEST": "Protest",
        "SANCTION": "Sanctions",
        "MOBILIZE": "Mobilisation",
        "COERCE": "Coercion",
        "ASSAULT": "Assault",
        "ARMS_TRANSFER": "Arms transfer",
        "TROOP_DEPLOYMENT": "Troop deployment",
        "VISIT": "Visit",
        "SUMMIT": "Summit",
        "TREATY_SIGNING": "Treaty signing",
        "MISSILE_LAUNCH": "Missile launch",
        "STRIKE": "Strike",
        "CASUALTY_REPORT": "Casualties",
        "RETREAT": "Retreat",
        "CONCEDE": "Concession",
    },
    "uk": {
        "AGREE": "Згода",
        "CONSULT": "Консультації",
        "SUPPORT": "Підтримка",
        "COOPERATE": "Співпраця",
        "AID": "Допомога",
        "REQUEST": "Вимога",
        "ACCUSE": "Звинувачення",
        "REJECT": "Відмова",
        "THREATEN": "Погроза",
        "PROTEST": "Протест",
        "SANCTION": "Санкції",
        "MOBILIZE": "Мобілізація",
        "COERCE": "Примус",
        "ASSAULT": "Напад",
        "ARMS_TRANSFER": "Передача зброї",
        "TROOP_DEPLOYMENT": "Розгортання військ",
        "VISIT": "Візит",
        "SUMMIT": "Зустріч на вищому рівні",
        "TREATY_SIGNING": "Підписання договору",
        "MISSILE_LAUNCH": "Запуск ракет",
        "STRIKE": "Удар",
        "CASUALTY_REPORT": "Втрати",
        "RETREAT": "Відступ",
        "CONCEDE": "Поступка",
    },
}

STATUSES: dict[str, dict[str, str]] = {
    "en": {
        "reported": "reported",
        "confirmed": "confirmed",
        "denied": "denied",
        "planned": "planned",
        "feared": "feared",
        "alleged": "alleged",
    },
    "uk": {
        "reported": "повідомлено",
        "confirmed": "підтверджено",
        "denied": "спростовано",
        "planned": "заплановано",
        "feared": "побоювання",
        "alleged": "імовірно",
    },
}

ENTITY_TYPES: dict[str, dict[str, str]] = {
    "en": {"PER": "person", "LOC": "place", "ORG": "organisation", "EVT": "event", "PRO": "product"},
    "uk": {"PER": "особа", "LOC": "місце", "ORG": "організація", "EVT": "подія", "PRO": "продукт"},
}


def strings(lang: str) -> Mapping[str, str]:
    """The UI strings of ``lang`` (English for anything else)."""
    return STRINGS.get(lang, STRINGS[DEFAULT])


def event_type_label(lang: str, type_: str) -> str:
    return EVENT_TYPES.get(lang, EVENT_TYPES[DEFAULT]).get(type_) or type_.replace("_", " ").capitalize()


def status_label(lang: str, status: str) -> str:
    return STATUSES.get(lang, STATUSES[DEFAULT]).get(status, status)


def entity_type_label(lang: str, type_: str) -> str:
    return ENTITY_TYPES.get(lang, ENTITY_TYPES[DEFAULT]).get(type_, type_)


def language_name(ui: str, lang: str) -> str:
    """The name of a content language (uk, ru, en, other) in the UI language."""
    return strings(ui).get(f"lang_{lang}", lang)


def from_accept_language(header: str) -> str | None:
    """The first UI language of an ``Accept-Language`` header, by weight ("uk-UA,uk;q=0.9,en;q=0.8")."""
    ranked: list[tuple[float, int, str]] = []
    for i, item in enumerate(header.split(",")):
        tag, _, params = item.strip().partition(";")
        weight = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                weight = float(params[2:])
            except ValueError:
                weight = 0.0
        primary = tag.strip().split("-")[0].lower()
        if primary in UI_LANGS and weight > 0:
            ranked.append((-weight, i, primary))
    return min(ranked)[2] if ranked else None


def requested_ui(request: Request) -> str | None:
    """The ``?ui=`` of a request when it names a UI language."""
    value = request.query_params.get("ui")
    return value if value in UI_LANGS else None


def ui_lang(request: Request) -> str:
    """The UI language of a request: ``?ui=``, the cookie, ``Accept-Language``, English (module docs)."""
    chosen = requested_ui(request)
    if chosen:
        return chosen
    cookie = request.cookies.get(COOKIE)
    if cookie in UI_LANGS:
        return cookie
    return from_accept_language(request.headers.get("accept-language", "")) or DEFAULT
