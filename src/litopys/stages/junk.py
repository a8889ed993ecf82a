"""Page-furniture rules for the cleaner: data, not code.

Every rule has a name (stored with each removed segment, so a user can see *why* a line went) and a
comment with the reason and where it was seen. Patterns are matched against one normalised line
(white space collapsed, stripped) and are case-insensitive. Calibrated on the five seeds
(examples/seeds) and on the raw news in ../shared/data (bsnlp, slavicner: scraped pages full of
furniture; brown-uk-press: clean press texts, where any removal is a false positive). `make eval`
prints how much each rule removes on those corpora.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    pattern: re.Pattern[str]


def _rule(name: str, regex: str) -> Rule:
    return Rule(name, re.compile(regex, re.IGNORECASE))


# --- tails: a line that starts the page's trailer; it and everything after it is removed --------
# Whole-line matches only (a sentence that merely mentions "other news" is not a marker).
TAIL_MARKERS: tuple[Rule, ...] = (
    # related-news blocks: seed 001 "Інші Новини", seed 003 "Вас также могут заинтересовать новости:"
    _rule(
        "tail:related-news",
        r"^(інші|інших|останні|головні|популярні|схожі|пов'язані|пов’язані|другие|последние|главные|"
        r"популярные|похожие|связанные)\s+(новини|новости|публікації|публикации|статті|статьи|матеріали|"
        r"материалы)\s*:?$",
    ),
    _rule(
        "tail:related-news",
        r"^(вас|вам)\s+(также|тоже|може|можуть)\s+(могут|может|буде|будуть)?\s*"
        r"(заинтересовать|зацікавити|цікаво|интересно|понравиться)(\s+\S+){0,2}\s*:?$",
    ),
    _rule(
        "tail:related-news", r"^(you may also like|related (news|articles|posts|stories)|more from .{1,40})$"
    ),
    _rule(
        "tail:related-news", r"^(новини|новости|новини партнерів|новости партнеров|партнерські новини)\s*:?$"
    ),
    _rule(
        "tail:related-news", r"^(популярне|популярное|найпопулярніше|самое популярное|читайте нас в .{1,30})$"
    ),
    # author bio boxes: seed 002 "About the Author: Gene Crawford"
    _rule("tail:author-bio", r"^(about the author|про автора|об авторе|автор статті|автор статьи)\b.{0,60}$"),
    # comment forms: seed 002 "Залишити відповідь"; slavicner covid ru "ДОБАВИТЬ КОММЕНТАРИЙ"
    _rule(
        "tail:comments",
        r"^(залишити|залиште|додати|оставить|оставьте|добавить|написати|написать|напишіть|напишите)\s+"
        r"(відповідь|коментар|коментарі|ответ|комментарий|комментарии)\b.{0,40}$",
    ),
    _rule(
        "tail:comments",
        r"^(leave a (reply|comment)|comments?|коментарі|комментарии|обговорення)\s*(\(\d+\))?:?$",
    ),
)

# --- read-also: a "read also" header line; it and the one headline line after it are removed ----
# slavicner covid ru: "ЧИТАЙТЕ ТАКЖЕ" / "Смотрите также:" followed by a linked headline, then the
# article often goes on, so this is not a tail.
READ_ALSO_HEADER = re.compile(
    r"^(читайте|дивіться|смотрите|читай|see)\s+(також|также|тоже|еще|ещё|also)\s*:?$", re.IGNORECASE
)
# The same with the headline on the same line ("Читайте також Ердоган щепився ...", slavicner uk).
READ_ALSO_INLINE = re.compile(
    r"^(читайте|дивіться|смотрите)\s*(також|также|тоже|еще|ещё)\b.{0,200}$", re.IGNORECASE
)

# --- single junk lines: removed where they stand ---------------------------------------------------
LINE_JUNK: tuple[Rule, ...] = (
    # photo credits: seed 002 "кредит…Sputnik, через Reuters"; slavicner "Фото: REUTERS", "Фото:pixabay.com"
    _rule("photo-credit", r"^(кредит|credit|credits)\s*(…|\.\.\.|:|-|–).{0,80}$"),
    _rule(
        "photo-credit",
        r"^(фото|photo|foto|світлина|ілюстрація|иллюстрация|скриншот|скріншот)\s*(:|©|/).{0,100}$",
    ),
    _rule("photo-credit", r"^(фото|photo)\s+\S.{0,80}\s/\s.{1,40}$"),  # "Фото Густаво Зырянова / Сиб.фм"
    _rule("photo-credit", r"^(стоп-кадр|кадр з відео|кадр из видео|getty images|©).{0,80}$"),
    _rule("photo-credit", r"^(ілюстративне|иллюстративное|архівне|архивное)\s+фото\b.{0,60}$"),
    # media and rating widgets: seed 003 "Видео дня", seed 001 "Average Rating"
    _rule(
        "widget",
        r"^(видео дня|відео дня|фото дня|video of the day|average rating|rating|оцените материал|"
        r"оцініть матеріал|оценка|рейтинг|поделиться|поділитися|share|реклама|advertisement|подкаст|"
        r"прослушать новость|слухати новину|остановить|скрыть|развернуть|подписаться|підписатися|"
        r"нашли ошибку\??|знайшли помилку\??|сюжет|цитата:|тримаємо зв[’']язок!?|"
        r"смотреть видео(\s+\d{1,2}:\d{2})?|дивитися відео(\s+\d{1,2}:\d{2})?)$",
    ),
    _rule("widget", r"^(average rating|rating|оценка|рейтинг)\s*:?\s*\d([.,]\d)?\s*(/\s*\d+)?.{0,20}$"),
    _rule(
        "widget",
        r"^(подписывайтесь|підписуйтесь|підписуйтеся|следите за|стежте за|читайте нас|приєднуйтесь|"
        r"присоединяйтесь)\b.{0,120}$",
    ),
    # comment-form and account furniture (slavicner covid ru/uk; seed 002's e-mail notice)
    _rule(
        "comment-form",
        r"^(ваша e-?mail адреса не оприлюднюватиметься|ваш e-?mail не будет опубликован|"
        r"your email address will not be published|обов[’']язкові поля позначені|"
        r"обязательные поля помечены|required fields are marked).{0,80}$",
    ),
    _rule(
        "comment-form",
        r"^(гость|гість|автор|проверка|перевірка|войти|увійти|вход|реєстрація|регистрация|"
        r"зарегистрироваться|зареєструватися|напомнить пароль|забыли пароль\?.{0,10}|"
        r"или войдите через соцсети|увійти в акаунт|увійти в аккаунт|"
        r"показать больше комментариев|сначала новые.{0,20}|осталось символов:?\s*\d*|"
        r"текст содержит недопустимые символы|введенный e-?mail содержит ошибки|"
        r"электронная почта|имя|ім[’']я|e-?mail|submit|відправити|отправить|надіслати)\s*\*?$",
    ),
    # cookie banners (slavicner covid ru: "Наш сайт использует файлы Cookie, чтобы …")
    _rule(
        "cookie-notice",
        r"^.{0,60}\b(использует|используем|використовує|використовуємо|uses|we use)\b.{0,30}"
        r"\b(cookies?|куки|кукі)\b.{0,250}$",
    ),
    # consent banners (slavicner: "Продовжуючи переглядати RBC.UA Ви підтверджуєте, що ознайомилися
    # з Політикою конфіденційності …")
    _rule(
        "cookie-notice",
        r"^(продовжуючи (переглядати|користуватися)|продолжая (просмотр|использовать|пользоваться)|"
        r"by continuing to (browse|use)).{0,300}$",
    ),
    # copyright and reuse notices
    _rule(
        "copyright",
        r"^(©|\(c\)|copyright|все права защищены|всі права захищені|all rights reserved|"
        r"использование материалов .{0,60}разрешается|використання матеріалів .{0,60}дозволяється)"
        r".{0,400}$",
    ),
    # share buttons and breadcrumbs: the same article re-posted on another page ("Поділитися:",
    # "Facebook", "Головна / Новини / Світ"), which must not change its exact-duplicate hash
    _rule(
        "share", r"^(поділитися|поділіться|поделиться|поширити|share( this)?)\s*(в|у|в соцмережах|:)?\s*:?$"
    ),
    _rule(
        "share", r"^(facebook|telegram|twitter|viber|whatsapp|linkedin|вконтакте|однокласники|одноклассники)$"
    ),
    _rule("breadcrumb", r"^(головна|главная|home)\s*(/|›|>|»|\|)\s*[^.!?]{1,80}$"),
    # a line that is only a link (seed 001 "https://kurs.com.ua/novost/...")
    _rule("bare-url", r"^(https?://|www\.)\S+$"),
)

# --- attribution: "Джерело: CBS News" (seed 000) names the outlet; the line becomes `source` -------
ATTRIBUTION: tuple[re.Pattern[str], ...] = (
    re.compile(r"^(джерело|джерела|источник|источники|source)\s*:\s*(?P<source>[^:]{2,80}?)\s*\.?$", re.I),
    re.compile(r"^(по материалам|за матеріалами|according to)\s+(?P<source>[^:]{2,60}?)\s*\.?$", re.I),
)

# --- title: a photo credit glued to the headline, "… для войны против Украины / фото REUTERS" (003)
TITLE_CREDIT = re.compile(r"\s*[/|]\s*(фото|photo|foto)\s*:?\s*[^/|]{1,60}$", re.IGNORECASE)

# --- page header: metadata lines above the headline of a text dump, read and removed ------------------
# bsnlp raw files start "389" / "ua" / "2015-12-19T15:14:44+00:00" / "http://uacrisis.org/…"; the date
# becomes `published` (it anchors relative dates: "у середу"), the URL `url`. Only lines above the title.
PAGE_HEADER: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("id", re.compile(r"^\d{1,9}$")),
    ("lang", re.compile(r"^(uk|ua|ru|en|pl|cs|bg|sl|hr|sk|de|fr)$", re.IGNORECASE)),
    (
        "date",
        re.compile(
            r"^(19|20)\d\d-[01]\d-[0-3]\d([ T][0-2]\d:[0-5]\d(:[0-5]\d)?(\.\d+)?(Z|[+-]\d\d:?\d\d)?)?$"
        ),
    ),
    ("url", re.compile(r"^https?://\S+$")),
)

# --- thresholds -------------------------------------------------------------------------------------
#: a line shorter than this is never called a repeated block (short lines like "Фото" repeat in
#: legitimate text, and subheads may repeat the title of a section)
REPEAT_MIN_CHARS = 40
#: shortest prefix that, met again later in the same line, marks a sentence glued to itself (003)
GLUE_MIN_CHARS = 30
#: a first line longer than this is a paragraph, not a headline (the longest headline in the
#: bsnlp/slavicner raw pages is under 200 characters)
TITLE_MAX_CHARS = 200
#: a caption repeated this often after a "see also" header makes the rest of the page a teaser
#: gallery (slavicner covid-19 ru, Deutsche Welle pages)
CAROUSEL_MIN_REPEATS = 3
