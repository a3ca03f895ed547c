"""Pragmas name rules as `--ignore` does: codes in any case, or rule names; unknown words are
reported as the user wrote them."""

from __future__ import annotations

from typing import Any

from conftest import AS_OF

from runtime_lint import catalog as catalog_mod
from runtime_lint.checks import all_rules
from runtime_lint.config import resolve
from runtime_lint.engine import lint_text

RT = "quay.io/astronomer/astro-runtime"


def codes(text: str, **options: Any) -> list[str]:
    rules = all_rules()
    settings = resolve(None, {"as-of": AS_OF, "astro-project": False, **options}, rules, "Dockerfile", AS_OF)
    return [f.code for f in lint_text("Dockerfile", text, settings, catalog_mod.load(), rules).findings]


def test_a_rule_name_in_a_pragma_is_its_code() -> None:
    text = f"FROM {RT}:13.10.0\n"
    assert codes(text) == ["RL204"]
    assert codes(f"# runtime-lint: ignore=patch-not-latest -- waiting for QA\n{text}") == []
    assert codes(f"# runtime-lint: ignore=Patch-Not-Latest\n{text}") == []
    assert codes(f"# runtime-lint: ignore=rl204\n{text}") == []
    assert codes(f"# runtime-lint: ignore-file=patch-not-latest\n{text}") == []


def test_unknown_words_are_reported_as_written() -> None:
    rules = all_rules()
    settings = resolve(None, {"as-of": AS_OF, "astro-project": False}, rules, "Dockerfile", AS_OF)
    text = f"# runtime-lint: ignore=Not-A-Rule,patch-not-latest\nFROM {RT}:13.10.0\n"
    findings = lint_text("Dockerfile", text, settings, catalog_mod.load(), rules).findings
    (rl002,) = [f for f in findings if f.code == "RL002"]
    assert rl002.message == "pragma names unknown rule code(s): Not-A-Rule"
    assert "RL204" not in [f.code for f in findings]


def test_an_unused_pragma_by_name_is_reported() -> None:
    assert codes(f"# runtime-lint: ignore=patch-not-latest\nFROM {RT}:13.11.0\n") == ["RL003"]
