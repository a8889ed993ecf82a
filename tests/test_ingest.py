"""Ingest: walking inputs (folders, .jsonl, .gz, broken files) and parsing txt/html/json records.

Real text only: the seeds in examples/seeds, files written from them at test time (tmp_path), and
tests/fixtures/ingest/article.html, a news page hand-built around seed 004 (nav menu, "Читайте
також" teasers taken from the seed's own tail, footer, cookie notice).
"""

from __future__ import annotations

import gzip
import json
import pickle
import re
from pathlib import Path

import pytest

from litopys.errors import LitopysError
from litopys.records import Article, RawDoc, Rejected
from litopys.stages.ingest import (
    input_size,
    iter_inputs,
    iter_inputs_with_bytes,
    normalize_date,
    normalize_text,
    parse,
)

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "examples" / "seeds"
ARTICLE_HTML = Path(__file__).resolve().parent / "fixtures" / "ingest" / "article.html"
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"


def seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def code_of(item: RawDoc | Rejected) -> str:
    assert isinstance(item, Rejected), item
    return item.reason.split()[0]


def make_tree(root: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def jsonl(*records: object) -> bytes:
    return b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in records)


# --- walking ------------------------------------------------------------------------------------


def test_ingest_folder_walk_is_sorted_recursive_and_skips_hidden_and_unsupported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = seed("000").encode()
    make_tree(
        tmp_path / "in",
        {
            "b/2.txt": text,
            "a.txt": text,
            "c.htm": ARTICLE_HTML.read_bytes(),
            "sub/deeper/z.jsonl": jsonl({"text": seed("003")}),
            "README.md": b"# about this folder\n",
            "photo.png": PNG_HEADER,
            ".hidden.txt": text,
            ".git/config.txt": text,
            "sub/.cache/x.txt": text,
        },
    )
    monkeypatch.chdir(tmp_path)
    items = list(iter_inputs(["in"]))
    assert [item.path for item in items] == ["in/a.txt", "in/b/2.txt", "in/c.htm", "in/sub/deeper/z.jsonl#1"]
    assert [item.fmt for item in items if isinstance(item, RawDoc)] == ["txt", "txt", "html", "json"]


def test_ingest_seeds_folder_keeps_the_paths_as_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    items = list(iter_inputs(["examples/seeds"]))
    assert [item.path for item in items] == sorted(f"examples/seeds/{p.name}" for p in SEEDS.glob("*.txt"))
    for item in items:
        assert isinstance(item, RawDoc)
        article = parse(item)
        assert (article.id, article.path, article.fmt, article.encoding) == (
            item.id,
            item.path,
            "txt",
            "utf-8",
        )
        assert article.text == normalize_text(item.data.decode("utf-8"))


def test_ingest_missing_and_unsupported_paths_are_rejected_and_the_batch_goes_on(tmp_path: Path) -> None:
    make_tree(tmp_path, {"notes.md": b"# notes\n", "ok.txt": seed("001").encode()})
    items = list(iter_inputs([tmp_path / "missing.txt", tmp_path / "notes.md", tmp_path / "ok.txt"]))
    assert [code_of(i) if isinstance(i, Rejected) else "ok" for i in items] == ["E107", "E105", "ok"]
    assert items[0].path == str(tmp_path / "missing.txt")


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("empty.txt", b"", "E101"),
        ("blank.txt", b"  \n\t\r\n  ", "E101"),
        ("bom-only.html", b"\xef\xbb\xbf\n", "E101"),
        ("image.txt", PNG_HEADER + b"\x00" * 32, "E102"),
        ("image.html", PNG_HEADER, "E102"),
        ("broken.txt.gz", b"this is not gzip data", "E108"),
        ("empty.jsonl", b"\n \n\n", "E101"),
        ("binary.jsonl", b'{"text": "x"}\n' + PNG_HEADER + b"\n", "E102"),
    ],
)
def test_ingest_unusable_files_are_rejected_with_a_code(
    tmp_path: Path, name: str, data: bytes, code: str
) -> None:
    (tmp_path / name).write_bytes(data)
    items = list(iter_inputs([tmp_path / name]))
    assert code_of(items[-1]) == code
    assert items[-1].path == str(tmp_path / name)


def test_ingest_jsonl_good_blank_and_broken_lines(tmp_path: Path) -> None:
    good = {
        "title": "КНДР предоставила России артиллерию",
        "text": seed("003"),
        "url": "https://example.org/kndr",
        "published": "2023-10-11T09:30:00+03:00",
        "source": "УНИАН",
        "lang": "RU",
    }
    path = tmp_path / "batch.jsonl"
    path.write_bytes(jsonl(good) + b"\n" + b'{"title": "broken", "text": "no closing brace"\n')
    first, second = iter_inputs([path])
    assert isinstance(first, RawDoc) and isinstance(second, RawDoc)
    assert (first.path, second.path) == (f"{path}#1", f"{path}#3")  # line numbers count blank lines
    assert first.fmt == second.fmt == "json"
    article = parse(first)
    assert article.text == normalize_text(seed("003"))
    assert (article.title, article.url, article.published, article.source) == (
        "КНДР предоставила России артиллерию",
        "https://example.org/kndr",
        "2023-10-11",
        "УНИАН",
    )
    assert article.hints == (("lang", "ru"),)
    with pytest.raises(LitopysError) as err:
        parse(second)
    assert err.value.code == "E104"


@pytest.mark.parametrize(
    ("line", "code"),
    [
        (b'["a JSON list", "not an object"]', "E104"),
        (b'"a string"', "E104"),
        (b'{"title": "no text field"}', "E104"),
        (b'{"text": 42}', "E109"),
        (b'{"text": null}', "E109"),
        (b'{"text": "\xd0\x9a\xd0\x9d\xd0\x94\xd0\xa0", "title": ["a", "list"]}', "E109"),
        (b'{"text": "\xd0\x9a\xd0\x9d\xd0\x94\xd0\xa0", "published": 20241129}', "E109"),
        (b'{"text": "  \\n  "}', "E101"),
        (b'{"text": "\xcd\xe5"}', "E104"),  # CP1251 bytes: a .jsonl line must be UTF-8
    ],
)
def test_ingest_jsonl_record_errors(line: bytes, code: str) -> None:
    with pytest.raises(LitopysError) as err:
        parse(RawDoc("batch.jsonl#1", "json", line))
    assert err.value.code == code


def test_ingest_jsonl_gz_and_txt_gz_are_decompressed(tmp_path: Path) -> None:
    records = [{"text": seed("001"), "lang": "uk"}, {"text": seed("003"), "lang": "ru"}]
    (tmp_path / "a.jsonl.gz").write_bytes(gzip.compress(jsonl(*records)))
    (tmp_path / "b.txt.gz").write_bytes(gzip.compress(seed("004").encode("cp1251")))
    items = list(iter_inputs([tmp_path]))
    assert [i.path for i in items] == [
        f"{tmp_path}/a.jsonl.gz#1",
        f"{tmp_path}/a.jsonl.gz#2",
        f"{tmp_path}/b.txt.gz",
    ]
    articles = [parse(i) for i in items if isinstance(i, RawDoc)]
    assert [a.hint("lang") for a in articles] == ["uk", "ru", None]
    assert articles[2].text == seed("004")
    assert articles[2].encoding == "cp1251"


def test_ingest_truncated_jsonl_gz_keeps_the_records_before_the_damage(tmp_path: Path) -> None:
    records = [{"text": f"{i}. {line}"} for i, line in enumerate(seed("004").split("\n")) if line] * 20
    data = gzip.compress(jsonl(*records))
    (tmp_path / "cut.jsonl.gz").write_bytes(data[: len(data) // 2])
    items = list(iter_inputs([tmp_path / "cut.jsonl.gz"]))
    assert code_of(items[-1]) == "E108"
    docs = items[:-1]
    assert docs and all(isinstance(d, RawDoc) for d in docs)
    assert [d.path for d in docs] == [f"{tmp_path}/cut.jsonl.gz#{n}" for n in range(1, len(docs) + 1)]


def test_ingest_progress_bytes_add_up_to_input_size(tmp_path: Path) -> None:
    make_tree(
        tmp_path,
        {
            "a.txt": seed("000").encode(),
            "b.jsonl": jsonl({"text": seed("001")}, {"text": seed("002")}) + b"\n\n",
            "c.jsonl.gz": gzip.compress(jsonl({"text": seed("003")}) * 50),
            "d.html": ARTICLE_HTML.read_bytes(),
            "e.txt": b"",
            "notes.md": b"skipped inside a folder",
            "x.bin": b"\x00\x01",
        },
    )
    paths = [tmp_path, tmp_path / "x.bin", tmp_path / "missing.txt"]
    pairs = list(iter_inputs_with_bytes(paths))
    assert all(n >= 0 for _, n in pairs)
    assert sum(n for _, n in pairs) == input_size(paths)
    assert input_size(paths) == sum(p.stat().st_size for p in tmp_path.iterdir() if p.suffix != ".md")
    assert [item for item, _ in pairs] == list(iter_inputs(paths))


# --- parsing plain text -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Рютте\r\nзаявив\rсьогодні\n", "Рютте\nзаявив\nсьогодні\n"),
        ("\ufeffКНДР почала постачати", "КНДР почала постачати"),
        ("600\xa0тис.\u202fросійських\u2009солдатів", "600 тис. російських солдатів"),
        ("Пів\u00adніч\u200bна Ко\u200dрея\u2060", "Північна Корея"),
        ("Сеул\x07 стурбований\x1b[0m\x85далі\x7f", "Сеул стурбований[0m\nдалі"),
        ("колонка\tдругa\u2028рядок", "колонка другa\nрядок"),
    ],
)
def test_ingest_txt_text_is_normalised(raw: str, expected: str) -> None:
    article = parse(RawDoc("x.txt", "txt", raw.encode("utf-8")))
    assert article.text == expected
    assert article.title == ""


@pytest.mark.parametrize(
    ("prefix", "codec"), [("003", "cp1251"), ("004", "cp1251"), ("003", "koi8-u"), ("004", "koi8-u")]
)
def test_ingest_legacy_encoded_seed_files_parse_to_the_utf8_text(
    tmp_path: Path, prefix: str, codec: str
) -> None:
    text = "\n".join(
        line for line in seed(prefix).split("\n") if line.encode(codec, "ignore").decode(codec) == line
    )
    (tmp_path / f"{prefix}.txt").write_bytes(text.encode(codec))
    (item,) = iter_inputs([tmp_path])
    assert isinstance(item, RawDoc)
    article = parse(item)
    assert article.text == normalize_text(text)
    assert article.encoding == codec


def test_ingest_parse_output_is_picklable() -> None:
    article = parse(RawDoc("x.txt", "txt", seed("002").encode()))
    assert pickle.loads(pickle.dumps(article)) == article


# --- parsing HTML -------------------------------------------------------------------------------

ARTICLE_PARAGRAPHS = seed("004").split("\n")[2:8]
#: strings of the page furniture: menu, breadcrumbs, share/tags, related teasers, footer, cookies
FURNITURE = [
    "Головна",
    "Економіка",
    "Поділитися",
    "Теги",
    "Читайте також",
    "Якщо США визнають окупований Крим",
    "Теммі Брюс",
    "Усі права захищено",
    "redakciya@",
    "Про нас",
    "файли cookie",
    "Погоджуюсь",
]


def html_article(html: str | bytes, path: str = "article.html") -> Article:
    return parse(RawDoc(path, "html", html.encode("utf-8") if isinstance(html, str) else html))


def test_ingest_html_yields_only_the_article_paragraphs() -> None:
    article = html_article(ARTICLE_HTML.read_bytes())
    assert article.text.split("\n") == ARTICLE_PARAGRAPHS
    assert "північнокорейські війська були відправлені до Росії" in article.text
    assert "заплановані телефонні розмови з президентом Республіки Корея" in article.text
    for furniture in FURNITURE:
        assert furniture not in article.text
    assert article.title == seed("004").split("\n")[0]
    assert article.published == "2024-10-28"
    assert article.url == "https://pryklad.example.ua/world/2024/10/28/rutte-kndr-kursk.html"
    assert article.source == "Приклад.ua"
    assert (article.fmt, article.encoding) == ("html", "utf-8")


def test_ingest_html_date_is_found_without_date_metadata() -> None:
    # no article:*_time, no date in the URL, no <time> in the article: only "28 жовтня 2024" in
    # the text, while the related teasers carry <time datetime="2025-06-0N">
    html = ARTICLE_HTML.read_text(encoding="utf-8")
    html = re.sub(r'<meta property="article:\w+_time"[^>]*>', "", html)
    html = html.replace("/world/2024/10/28/", "/world/")
    html = re.sub(r'<time datetime="2024[^"]*">([^<]*)</time>', r"<span>\1</span>", html)
    assert html_article(html).published == "2024-10-28"


def test_ingest_html_source_only_when_the_page_names_it() -> None:
    html = ARTICLE_HTML.read_text(encoding="utf-8")
    html = re.sub(r'<meta property="og:site_name"[^>]*>', "", html).replace(
        " | Новини світу | Приклад.ua", ""
    )
    article = html_article(html)
    assert article.url is not None
    assert article.source is None  # not the host name trafilatura falls back to


def test_ingest_html_meta_charset_windows_1251() -> None:
    html = ARTICLE_HTML.read_text(encoding="utf-8").replace(
        '<meta charset="utf-8">', '<meta charset="windows-1251">'
    )
    article = html_article(html.encode("cp1251"))
    assert article.encoding == "cp1251"
    assert article.text.split("\n") == ARTICLE_PARAGRAPHS


def test_ingest_html_without_article_text_raises_e106() -> None:
    html = (
        "<html><head><title>Приклад.ua</title></head><body>"
        '<nav><ul><li><a href="/">Головна</a></li><li><a href="/world/">Світ</a></li></ul></nav>'
        "<footer><p>© 2008–2025 Приклад.ua. Усі права захищено.</p></footer></body></html>"
    )
    with pytest.raises(LitopysError) as err:
        html_article(html)
    assert err.value.code == "E106"


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-11-29", "2024-11-29"),
        ("2024-11-29T10:00:00+02:00", "2024-11-29"),
        ("2024-11-29T23:30:00-05:00", "2024-11-29"),  # the publisher's own date, not UTC's
        ("2024-11-29T10:00:00Z", "2024-11-29"),
        ("2024-11-29 10:00", "2024-11-29"),
        (" 2024-11 ", "2024-11"),
        ("29.11.2024", "2024-11-29"),
        ("1.2.2024 10:00", "2024-02-01"),
        ("2024/11/29", "2024-11-29"),
        ("Fri, 29 Nov 2024 10:00:00 GMT", "2024-11-29"),
        ("29 Nov 2024 10:00:00 +0200", "2024-11-29"),
        ("2024-13", None),
        ("2024-02-30", None),
        ("31.02.2024", None),
        ("вчора", None),
        ("", None),
        ("11/29/2024", None),  # month-first is ambiguous
    ],
)
def test_ingest_normalize_date(value: str, expected: str | None) -> None:
    assert normalize_date(value) == expected


# --- metadata.csv ---------------------------------------------------------------------------------


def seed_path(prefix: str) -> Path:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path


def _seed_folder(tmp_path: Path, metadata: str | bytes) -> Path:
    """Seeds 001 and 004 in a folder of their own, with the given metadata.csv."""
    folder = tmp_path / "pages"
    folder.mkdir()
    for prefix in ("001", "004"):
        (folder / seed_path(prefix).name).write_bytes(seed_path(prefix).read_bytes())
    data = metadata.encode("utf-8") if isinstance(metadata, str) else metadata
    (folder / "metadata.csv").write_bytes(data)
    return folder


def test_ingest_metadata_csv_gives_published_source_and_lang(tmp_path: Path) -> None:
    folder = _seed_folder(
        tmp_path,
        "\ufefffile_name,published,source,lang,note\n"
        f"{seed_path('001').name},29.11.2024,Укрінформ,uk,same-day report\n"
        f"{seed_path('004').name},2024-10-28T09:30:00+01:00,,,\n",
    )
    items = list(iter_inputs([folder]))
    assert all(isinstance(item, RawDoc) for item in items)  # metadata.csv is not a document
    first, second = (parse(item) for item in items if isinstance(item, RawDoc))
    assert (first.published, first.source, dict(first.hints)) == ("2024-11-29", "Укрінформ", {"lang": "uk"})
    assert (second.published, second.source) == ("2024-10-28", None)
    # the metadata is not content: the ids are the hashes of the pages alone
    assert first.id == RawDoc("x", "txt", seed_path("001").read_bytes()).id


def test_ingest_metadata_csv_applies_to_a_file_named_on_the_command_line(tmp_path: Path) -> None:
    folder = _seed_folder(tmp_path, f"file_name,published\n{seed_path('001').name},2024-11-29\n")
    (item,) = iter_inputs([folder / seed_path("001").name])
    assert isinstance(item, RawDoc) and parse(item).published == "2024-11-29"


@pytest.mark.parametrize(
    ("metadata", "detail"),
    [
        ("name,published\nx.txt,2024-11-29\n", "no 'file_name' column"),
        (b"file_name,published\n\xff\xfe,2024\n", "utf-8"),
        ("file_name,published\n{001},someday\n", "'published' is not a date: 'someday'"),
    ],
)
def test_ingest_bad_metadata_is_rejected_with_e111_and_the_pages_still_go_in(
    tmp_path: Path, metadata: str | bytes, detail: str
) -> None:
    if isinstance(metadata, str):
        metadata = metadata.replace("{001}", seed_path("001").name)
    folder = _seed_folder(tmp_path, metadata)
    items = list(iter_inputs([folder]))
    rejected = [item for item in items if isinstance(item, Rejected)]
    docs = [item for item in items if isinstance(item, RawDoc)]
    assert len(rejected) == 1 and rejected[0].reason.startswith("E111 invalid metadata file")
    assert detail in rejected[0].reason and "metadata.csv" in rejected[0].path
    assert len(docs) == 2 and all(parse(doc).published is None for doc in docs)
