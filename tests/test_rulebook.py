"""The rule book (rules/CODE.md) and the registered rules stay in step.

Every built-in rule has a page and every page names a rule; each page has the same sections and
a header line that matches the rule's registration; the Dockerfile under "## Example" really
triggers the rule (and prints what the page quotes), the ones under "## How to fix" do not, and
the rule's own fix repairs the example. Settings an example needs are given in a ```toml block
under "## Example", written as in `.runtime-lint.toml`.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from collections.abc import Callable
from typing import Any

import pytest
from conftest import AS_OF, FROM_CHECKOUT, ROOT, Result

from runtime_lint import catalog as catalog_mod
from runtime_lint import rulebook
from runtime_lint.checks import Rule, all_rules
from runtime_lint.config import DEFAULTS, resolve
from runtime_lint.dockerfile import parse
from runtime_lint.engine import lint_text
from runtime_lint.fix import apply, chosen_fixes
from runtime_lint.model import SEVERITY_NAMES, Finding
from runtime_lint.project import lint_project

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

RULES_DIR = ROOT / "rules"
SECTIONS = ["What it does", "Why", "Example", "How to fix", "Settings"]
FIX_FLAGS = {"safe": "`--fix`", "unsafe": "`--fix --unsafe-fixes`", "safe/unsafe": "`--fix`, `--unsafe-fixes`"}
HEADER = re.compile(
    r"Default severity: (?P<severity>error|warning|info|off)"
    r" · Fix: (?P<fix>none|safe|unsafe|safe/unsafe)(?: \((?P<flags>[^)]*)\))?"
    r" · Settings: (?P<settings>.+)"
)
FENCE = re.compile(r"^```(?P<lang>[\w-]*)\n(?P<body>.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


def builtin_rules() -> dict[str, Rule]:
    """The rules this project ships (plugins have no page here)."""
    return {code: r for code, r in sorted(all_rules().items()) if r.module.startswith("runtime_lint.")}


CODES = sorted(builtin_rules())
FIXABLE = [code for code in CODES if builtin_rules()[code].fixable]


def page(code: str) -> str:
    path = RULES_DIR / f"{code}.md"
    assert path.is_file(), f"{code} has no page {path.relative_to(ROOT)}"
    return path.read_text(encoding="utf-8")


def sections(markdown: str) -> dict[str, str]:
    """`## Title` -> the text under it, in order."""
    out: dict[str, str] = {}
    title: str | None = None
    lines: list[str] = []
    for line in markdown.splitlines():
        if line.startswith("## "):
            if title is not None:
                out[title] = "\n".join(lines)
            title, lines = line[3:].strip(), []
        elif title is not None:
            lines.append(line)
    if title is not None:
        out[title] = "\n".join(lines)
    return out


def blocks(text: str, lang: str) -> list[str]:
    return [m.group("body") for m in FENCE.finditer(text) if m.group("lang") == lang]


def example_settings(code: str) -> dict[str, Any]:
    """The settings of the ```toml block under "## Example" (none when there is no block)."""
    found = blocks(sections(page(code))["Example"], "toml")
    assert len(found) <= 1, f"{code}: more than one toml block under ## Example"
    return tomllib.loads(found[0]) if found else {}


def lint(code: str, text: str, also: tuple[str, ...] = (), requirements: str | None = None) -> list[Finding]:
    """Lint Dockerfile text as a page's examples are linted: as of AS_OF, with the bundled catalog,
    the example's settings, and only this rule (plus `also`, plus the rules the text's pragmas
    name: whether a pragma is used depends on them running). A project rule's page gives the
    project's requirements.txt in a ```pip-requirements block (`requirements` replaces it); its
    findings are those of that file."""
    rules = all_rules()
    named = {c for pragma in parse(text).pragmas for c in pragma.codes if c in rules}
    overrides: dict[str, Any] = {"astro-project": False}
    overrides.update(example_settings(code))
    overrides["select"] = sorted({code, *also, *named})
    settings = resolve(None, overrides, rules, "Dockerfile", AS_OF)
    catalog = catalog_mod.load()
    assert catalog.origin == "bundled"  # the pages' examples are checked against the bundled data
    if rules[code].scope != "project":
        return lint_text("Dockerfile", text, settings, catalog, rules).findings
    if requirements is None:
        (requirements,) = blocks(sections(page(code))["Example"], "pip-requirements")
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "Dockerfile")
        with open(os.path.join(folder, "requirements.txt"), "w", encoding="utf-8") as handle:
            handle.write(requirements)
        result = lint_text(path, text, settings, catalog, rules)
        found = lint_project(result, lambda _: settings, rules)
    return result.findings + [f for r in found for f in r.findings]


def findings_of(code: str, text: str) -> list[Finding]:
    return [f for f in lint(code, text) if f.code == code]


def headline(finding: Finding) -> str:
    """The finding as `--format concise` prints it for a file named Dockerfile."""
    span = finding.span
    path = "requirements.txt" if all_rules()[finding.code].scope == "project" else "Dockerfile"
    return f"{path}:{span.line}:{span.column}: {finding.code} [{finding.severity_name}] {finding.message}"


def example(code: str) -> str:
    found = blocks(sections(page(code))["Example"], "dockerfile")
    assert len(found) == 1, f"{code}: ## Example needs exactly one dockerfile block, found {len(found)}"
    return found[0]


# 1. one page per rule ------------------------------------------------------------------------


def test_every_rule_has_a_page_and_every_page_a_rule() -> None:
    pages = {path.stem for path in RULES_DIR.glob("*.md")}
    assert sorted(pages) == CODES


def test_rulebook_reads_the_pages() -> None:
    if FROM_CHECKOUT:
        assert rulebook.folder() == str(RULES_DIR)
    else:  # an installed wheel carries a copy of rules/
        assert sorted(os.listdir(str(rulebook.folder()))) == sorted(os.listdir(RULES_DIR))
    for code in CODES:
        assert rulebook.page(code) == page(code)


@pytest.mark.parametrize("code", CODES)
def test_title_line(code: str) -> None:
    rule = builtin_rules()[code]
    assert page(code).splitlines()[0] == f"# {code} {rule.name}"


# 2. sections and the header line -------------------------------------------------------------


@pytest.mark.parametrize("code", CODES)
def test_sections(code: str) -> None:
    found = sections(page(code))
    assert list(found) == SECTIONS
    for title, text in found.items():
        assert text.strip(), f"{code}: ## {title} is empty"


@pytest.mark.parametrize("code", CODES)
def test_header_line_matches_registration(code: str) -> None:
    rule = builtin_rules()[code]
    lines = page(code).splitlines()
    assert lines[1] == "", f"{code}: a blank line must follow the title"
    m = HEADER.fullmatch(lines[2])
    assert m is not None, f"{code}: third line is not a header line: {lines[2]!r}"
    assert m.group("severity") == SEVERITY_NAMES.get(rule.severity, "off")
    assert m.group("fix") == (rule.fixable or "none")
    assert m.group("flags") == FIX_FLAGS.get(rule.fixable)
    listed = m.group("settings")
    keys = [] if listed == "none" else [key.strip().strip("`") for key in listed.split(",")]
    assert set(rule.settings) <= set(keys), f"{code}: the header must name the settings the rule reads"
    settings_text = sections(page(code))["Settings"]
    for key in keys:
        assert key in DEFAULTS, f"{code}: '{key}' is not a setting"
        assert f"`{key}`" in settings_text, f"{code}: ## Settings does not explain `{key}`"
    for key in rule.settings:
        default = DEFAULTS[key]
        shown = "not set" if default is None else json.dumps(default)
        assert shown.strip('"') in settings_text, f"{code}: ## Settings does not give the default of `{key}`"
    if not keys:
        assert settings_text.strip().startswith("None"), f"{code}: a rule without settings says None under ## Settings"


@pytest.mark.parametrize("code", CODES)
def test_off_rules_say_how_to_enable_them(code: str) -> None:
    rule = builtin_rules()[code]
    what = sections(page(code))["What it does"]
    if rule.severity:
        assert "off until" not in what
    else:
        assert all(f"`{key}`" in what for key in rule.settings), f"{code}: say which setting enables it"
        assert "off until" in what


# 3. the examples -----------------------------------------------------------------------------


@pytest.mark.parametrize("code", CODES)
def test_example_settings_are_real_settings(code: str) -> None:
    settings = example_settings(code)
    assert set(settings) <= set(DEFAULTS) - {"select", "extend-select", "ignore"}
    assert set(builtin_rules()[code].settings) <= set(settings) | {
        key for key in DEFAULTS if DEFAULTS[key] is not None
    }, f"{code}: the example must set what the rule needs"


@pytest.mark.parametrize("code", CODES)
def test_example_triggers_the_rule(code: str) -> None:
    findings = lint(code, example(code), also=("RL001",))
    assert [f for f in findings if f.code == code], f"{code}: the example does not trigger it"
    if code != "RL001":
        assert not [f for f in findings if f.code == "RL001"], f"{code}: the example is not a valid Dockerfile"


@pytest.mark.parametrize("code", CODES)
def test_example_output_is_what_the_rule_prints(code: str) -> None:
    quoted = blocks(sections(page(code))["Example"], "text")
    assert len(quoted) == 1, f"{code}: ## Example quotes the output in one text block"
    assert quoted[0].splitlines() == [headline(f) for f in findings_of(code, example(code))]


@pytest.mark.parametrize("code", CODES)
def test_how_to_fix_does_not_trigger_the_rule(code: str) -> None:
    if builtin_rules()[code].scope == "project":  # the fix is in requirements.txt
        example_requirements = blocks(sections(page(code))["Example"], "pip-requirements")
        fixed_requirements = blocks(sections(page(code))["How to fix"], "pip-requirements")
        assert fixed_requirements, f"{code}: ## How to fix has no pip-requirements block"
        for requirements in fixed_requirements:
            assert [requirements] != example_requirements
            found = [f for f in lint(code, example(code), requirements=requirements) if f.code == code]
            assert found == [], f"{code}: the fixed requirements.txt still gets {[headline(f) for f in found]}"
        return
    fixed = blocks(sections(page(code))["How to fix"], "dockerfile")
    assert fixed, f"{code}: ## How to fix has no dockerfile block"
    for text in fixed:
        assert text != example(code)
        findings = [f for f in lint(code, text, also=("RL001",)) if f.code in (code, "RL001")]
        assert findings == [], f"{code}: the fixed Dockerfile still gets {[headline(f) for f in findings]}"


@pytest.mark.parametrize("code", CODES)
def test_fix_kind_is_what_the_rule_does(code: str) -> None:
    rule = builtin_rules()[code]
    fixes = [f.fix for f in findings_of(code, example(code)) if f.fix is not None]
    if not rule.fixable:
        assert fixes == []
    else:
        assert fixes, f"{code}: a fixable rule offers no fix for its example"
        kinds = {"safe" if fix.safe else "unsafe" for fix in fixes}
        assert kinds <= set(rule.fixable.split("/"))


@pytest.mark.parametrize("code", FIXABLE)
def test_fix_repairs_the_example(code: str) -> None:
    text = example(code)
    fixed, applied = apply(text, chosen_fixes(findings_of(code, text), unsafe=True))
    assert applied >= 1
    assert findings_of(code, fixed) == []


def test_example_settings_change_the_outcome() -> None:
    """The toml block is really applied: without it, RL106's example is clean."""
    assert example_settings("RL106") == {"astro-project": True}
    rules = all_rules()
    settings = resolve(None, {"select": ["RL106"], "astro-project": False}, rules, "Dockerfile", AS_OF)
    assert lint_text("Dockerfile", example("RL106"), settings, catalog_mod.load(), rules).findings == []


# 4. runtime-lint explain ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["RL204", "rl204", "patch-not-latest"])
def test_explain_prints_the_page(cli: Callable[..., Result], name: str) -> None:
    result = cli("explain", name)
    assert result.code == 0, result
    assert result.out == page("RL204")
    assert result.err == ""


def test_explain_unknown_rule(cli: Callable[..., Result]) -> None:
    result = cli("explain", "RL999")
    assert result.code == 2
    assert result.out == ""
    assert len(result.err.strip().splitlines()) == 1
    assert "RL999" in result.err


def test_explain_json(cli: Callable[..., Result]) -> None:
    result = cli("explain", "RL204", "--format", "json")
    assert result.code == 0, result
    data = json.loads(result.out)
    assert data["code"] == "RL204"
    assert data["name"] == "patch-not-latest"
    assert data["doc"] == page("RL204")
