"""The rule book: one Markdown page per rule in `rules/CODE.md` (bundled in the wheel).

`runtime-lint explain CODE` prints a page; SARIF's rule help is drawn from it.
"""

from __future__ import annotations

import os

_HERE = os.path.dirname(os.path.abspath(__file__))
# In a wheel the pages are copied into the package; in a source checkout they are beside it.
PLACES = (os.path.join(_HERE, "rulebook"), os.path.join(os.path.dirname(_HERE), "rules"))
DOCS_URL = "https://github.com/runtime-lint/runtime-lint/blob/main/rules/{code}.md"


def folder() -> str | None:
    for place in PLACES:
        if os.path.isdir(place):
            return place
    return None


def page(code: str) -> str | None:
    """The Markdown page of a rule, or None when it has none."""
    where = folder()
    if where is None:
        return None
    try:
        with open(os.path.join(where, f"{code}.md"), encoding="utf-8") as handle:
            return handle.read()
    except OSError:
        return None


def section(markdown: str, title: str) -> str:
    """The text under `## title` (up to the next `## `), stripped."""
    lines = markdown.splitlines()
    out: list[str] = []
    inside = False
    for line in lines:
        if line.startswith("## "):
            if inside:
                break
            inside = line[3:].strip().lower() == title.lower()
            continue
        if inside:
            out.append(line)
    return "\n".join(out).strip()


def url(code: str) -> str:
    return DOCS_URL.format(code=code)
