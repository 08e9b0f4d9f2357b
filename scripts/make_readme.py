"""Builds README.md from the documents in docs/ (one source for the README, the 帮助 menu and the repo).

    python scripts/make_readme.py          # rewrite README.md
    python scripts/make_readme.py --check  # exit 1 when README.md is out of date (a test runs this)
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
# head, then the user guide, then one section per area, then the English summary
PARTS = ["readme_head.md", "user_guide.md", "cadres.md", "exchange.md", "handling.md", "rules.md", "documents.md",
         "visits.md", "accusations.md", "statistics.md", "trust.md", "packaging.md", "benchmark.md", "readme_tail.md"]


def _section(name: str) -> str:
    text = (DOCS / name).read_text(encoding="utf-8").strip() + "\n"
    if name not in ("readme_head.md", "readme_tail.md"):
        first = next((line for line in text.splitlines() if line.startswith("#")), "")
        if first.startswith("# "):  # a document with its own title becomes a section of the README
            text = re.sub(r"^(#+) ", r"#\1 ", text, flags=re.M)
    # links and pictures relative to docs/ must point into docs/ from the README
    text = re.sub(r"\]\((?!https?:|#|/|docs/)([^)]+)\)", lambda m: f"](docs/{m.group(1)})", text)
    return text


def build() -> str:
    return "\n".join(_section(p) for p in PARTS if (DOCS / p).exists())


def main(argv: list[str]) -> int:
    text = build()
    readme = ROOT / "README.md"
    if "--check" in argv:
        if readme.read_text(encoding="utf-8") != text:
            print("README.md 与 docs/ 不一致：请运行 python scripts/make_readme.py", file=sys.stderr)
            return 1
        return 0
    readme.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
