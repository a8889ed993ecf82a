"""Build ``src/litopys/data/common_stems.txt``: stems too frequent in news to carry a topic.

Usage: ``python -m eval.build_common_stems [--shared ../shared]``. Reads the raw news of
brown-uk-press (uk), slavicner and bsnlp (uk, ru); keeps every stem found in at least
``MIN_DOC_SHARE`` of the documents of one language. Only the stem list ships, not the texts.
"""

from __future__ import annotations

import argparse
import collections
import re
from pathlib import Path

from litopys.stages.tails import stem

#: a stem in at least this share of one language's documents is "common" (calibrated: 4% keeps
#: "україн", "заяв", "президент" and drops names such as "кндр", "пхень", "курсь")
MIN_DOC_SHARE = 0.04
_WORD = re.compile(r"[^\W\d_][\w'’ʼ-]*")
OUT = Path(__file__).resolve().parents[1] / "src" / "litopys" / "data" / "common_stems.txt"


def corpus(shared: Path) -> dict[str, list[Path]]:
    data = shared / "data"
    docs: dict[str, list[Path]] = {"uk": sorted((data / "brown-uk-press").glob("*.txt")), "ru": []}
    for lang in ("uk", "ru"):
        docs[lang] += sorted((data / "slavicner" / "raw").glob(f"*/{lang}/*.txt"))
        docs[lang] += sorted((data / "bsnlp").glob(f"*/raw/{lang}/*.txt"))
    return docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    args = parser.parse_args()
    common: set[str] = set()
    lines = [f"# built by `python -m eval.build_common_stems` (MIN_DOC_SHARE={MIN_DOC_SHARE})"]
    for lang, paths in corpus(args.shared).items():
        df: collections.Counter[str] = collections.Counter()
        for path in paths:
            text = path.read_text(encoding="utf-8", errors="replace")
            df.update({s for w in _WORD.findall(text) if len(s := stem(w)) >= 2})
        keep = {s for s, c in df.items() if c >= MIN_DOC_SHARE * len(paths)}
        lines.append(f"# {lang}: {len(paths)} documents, {len(keep)} stems")
        common |= keep
    lines += sorted(common)
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(common)} stems to {OUT}")


if __name__ == "__main__":
    main()
