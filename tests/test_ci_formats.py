"""`--format gitlab`, `checkstyle` and `junit`: each checked against what its consumer reads.

gitlab: a JSON Schema written from GitLab's documentation (tests/schemas/gitlab-codequality.schema.json);
junit: the Jenkins xUnit plugin's junit-10.xsd (tests/schemas/junit-10.xsd) and junitparser;
checkstyle: parsed back with ElementTree (Checkstyle publishes no XSD) and compared with --format json.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import Cli, write

from runtime_lint.engine import FileResult
from runtime_lint.model import ERROR, INFO, WARNING, Finding, Span
from runtime_lint.report import FORMATS, Run

SCHEMAS = Path(__file__).parent / "schemas"
RT = "quay.io/astronomer/astro-runtime"
DAY = ("--as-of", "2026-11-28")
PATCH = f"FROM {RT}:13.10.0\n"  # RL204 warning
ENDED = f"FROM {RT}:12.6.0\n"  # RL202 error + RL204 warning
CLEAN = f"FROM {RT}:13.11.0\n"
ODD = f"FROM '{RT}:13.10&<>\"'\n"  # RL001 and RL102 errors whose messages quote `&<>"`
ODD_NAME = 'odd &<>" name.Dockerfile'
CI_FORMATS = ("gitlab", "checkstyle", "junit")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    write(tmp_path / "patch" / "Dockerfile", PATCH)
    write(tmp_path / "ended.Dockerfile", ENDED)
    write(tmp_path / "clean.Dockerfile", CLEAN)
    write(tmp_path / ODD_NAME, ODD)
    return tmp_path


FILES = ("patch/Dockerfile", "ended.Dockerfile", "clean.Dockerfile", ODD_NAME, "missing.Dockerfile")


def lint(cli: Cli, cwd: Path, fmt: str, *paths: str) -> Any:
    result = cli(*(paths or FILES), *DAY, "--format", fmt, cwd=cwd)
    assert "Traceback" not in result.err
    return result


def findings_by_file(cli: Cli, cwd: Path, *paths: str) -> dict[str, list[dict[str, Any]]]:
    """What --format json reports: the reference every other format must agree with."""
    doc = json.loads(lint(cli, cwd, "json", *paths).out)
    return {f["path"]: f["findings"] for f in doc["files"] if f["error"] is None}


# Registry, exit codes --------------------------------------------------------------------------------


def test_registered_and_listed_in_help(cli: Cli) -> None:
    assert all(name in FORMATS for name in CI_FORMATS)
    out = cli("check", "--help").out
    assert all(name in out for name in CI_FORMATS)


@pytest.mark.parametrize("fmt", CI_FORMATS)
def test_exit_codes_as_for_other_formats(cli: Cli, tree: Path, fmt: str) -> None:
    assert lint(cli, tree, fmt, "clean.Dockerfile").code == 0
    assert lint(cli, tree, fmt, "patch/Dockerfile").code == 1
    assert cli("patch/Dockerfile", *DAY, "--format", fmt, "--fail-on", "error", cwd=tree).code == 0
    result = lint(cli, tree, fmt)
    assert result.code == 2
    assert "missing.Dockerfile: no such file or directory" in result.err
    assert result.out.strip()  # the report is still written


def test_chosen_by_environment_variable(cli: Cli, tree: Path) -> None:
    result = cli("clean.Dockerfile", *DAY, cwd=tree, env={"RUNTIME_LINT_FORMAT": "junit"})
    assert result.code == 0
    assert ET.fromstring(result.out).tag == "testsuites"


# gitlab ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gitlab_validator() -> Any:
    schema = json.loads((SCHEMAS / "gitlab-codequality.schema.json").read_text(encoding="utf-8"))
    assert "https://docs.gitlab.com/ci/testing/code_quality/" in schema["description"]
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def gitlab(cli: Cli, cwd: Path, validator: Any, *paths: str) -> list[dict[str, Any]]:
    out = lint(cli, cwd, "gitlab", *paths).out
    assert not out.startswith("\ufeff")  # GitLab's parser refuses a byte order mark
    issues: list[dict[str, Any]] = json.loads(out)
    validator.validate(issues)
    return issues


def test_gitlab_issues(cli: Cli, tree: Path, gitlab_validator: Any) -> None:
    issues = gitlab(cli, tree, gitlab_validator)
    expected = findings_by_file(cli, tree)
    severity = {"error": "major", "warning": "minor", "info": "info"}
    want = sorted(
        (
            path,
            f"runtime-lint/{f['code']}",
            severity[f["severity"]],
            f["line"],
            f"{f['code']} {f['name']}: {f['message']}",
        )
        for path, findings in expected.items()
        for f in findings
    )
    want.append(("missing.Dockerfile", "runtime-lint/file-error", "critical", 1, ""))
    got = [
        (i["location"]["path"], i["check_name"], i["severity"], i["location"]["lines"]["begin"], i["description"])
        for i in issues
    ]
    error = [g for g in got if g[1] == "runtime-lint/file-error"]
    assert len(error) == 1 and "no such file or directory" in error[0][4]
    assert sorted((*g[:4], "" if g[1].endswith("file-error") else g[4]) for g in got) == sorted(want)
    assert {i["location"]["path"] for i in issues} == {*expected.keys(), "missing.Dockerfile"} - {"clean.Dockerfile"}
    assert any('&<>"' in i["description"] for i in issues)
    assert ODD_NAME in {i["location"]["path"] for i in issues}
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_gitlab_clean_is_an_empty_array(cli: Cli, tree: Path, gitlab_validator: Any) -> None:
    assert gitlab(cli, tree, gitlab_validator, "clean.Dockerfile") == []


def test_gitlab_fingerprints_survive_lines_moving(cli: Cli, tmp_path: Path, gitlab_validator: Any) -> None:
    write(tmp_path / "Dockerfile", ENDED)
    before = gitlab(cli, tmp_path, gitlab_validator, "Dockerfile")
    write(tmp_path / "Dockerfile", "# a comment\n\n" + ENDED)
    after = gitlab(cli, tmp_path, gitlab_validator, "Dockerfile")
    assert [i["location"]["lines"]["begin"] for i in before] == [1, 1]
    assert [i["location"]["lines"]["begin"] for i in after] == [3, 3]
    assert [i["fingerprint"] for i in before] == [i["fingerprint"] for i in after]
    write(tmp_path / "other" / "Dockerfile", ENDED)  # the same text elsewhere is another issue
    elsewhere = gitlab(cli, tmp_path, gitlab_validator, "other/Dockerfile")
    assert {i["fingerprint"] for i in elsewhere}.isdisjoint(i["fingerprint"] for i in before)


def test_gitlab_fingerprints_unique_for_identical_lines(cli: Cli, tmp_path: Path, gitlab_validator: Any) -> None:
    write(tmp_path / "Dockerfile", PATCH + PATCH)
    issues = gitlab(cli, tmp_path, gitlab_validator, "Dockerfile")
    assert [(i["check_name"], i["location"]["lines"]["begin"]) for i in issues] == [
        ("runtime-lint/RL204", 1),
        ("runtime-lint/RL204", 2),
    ]
    assert len({i["fingerprint"] for i in issues}) == 2
    write(tmp_path / "Dockerfile", "\n" + PATCH + PATCH)  # and each keeps its own when lines move
    assert [i["fingerprint"] for i in gitlab(cli, tmp_path, gitlab_validator, "Dockerfile")] == [
        i["fingerprint"] for i in issues
    ]


# checkstyle ------------------------------------------------------------------------------------------


def test_checkstyle_every_finding(cli: Cli, tree: Path) -> None:
    out = lint(cli, tree, "checkstyle").out
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<checkstyle version="4.3">')
    root = ET.fromstring(out)
    assert root.tag == "checkstyle"
    files = root.findall("file")
    assert [f.get("name") for f in files] == list(FILES)
    assert all(child.tag == "error" for f in files for child in f)
    expected = findings_by_file(cli, tree)
    for element in files:
        name = element.get("name")
        got = [(e.get("line"), e.get("column"), e.get("severity"), e.get("message"), e.get("source")) for e in element]
        if name == "missing.Dockerfile":
            assert len(got) == 1
            line, column, severity, message, source = got[0]
            assert (line, column, severity, source) == ("1", None, "error", "runtime-lint.file-error")
            assert message is not None and message.endswith("no such file or directory")
            continue
        assert name is not None
        want = [
            (str(f["line"]), str(f["column"]), f["severity"], f["message"], f"runtime-lint.{f['code']}")
            for f in expected[name]
        ]
        assert got == want
    clean = files[FILES.index("clean.Dockerfile")]
    assert len(clean) == 0
    assert len(files[FILES.index(ODD_NAME)]) == 2
    assert "&amp;&lt;&gt;&quot;" in out  # escaped, and read back as `&<>"` above


def test_checkstyle_severities(cli: Cli, tree: Path) -> None:
    root = ET.fromstring(lint(cli, tree, "checkstyle", "ended.Dockerfile").out)
    assert [(e.get("source"), e.get("severity")) for e in root.iter("error")] == [
        ("runtime-lint.RL202", "error"),
        ("runtime-lint.RL204", "warning"),
    ]


# junit -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def junit_schema() -> Any:
    import xmlschema

    return xmlschema.XMLSchema(str(SCHEMAS / "junit-10.xsd"))


def junit(cli: Cli, cwd: Path, schema: Any, *paths: str) -> str:
    out: str = lint(cli, cwd, "junit", *paths).out
    schema.validate(out)
    return out


def test_junit_valid_and_counted(cli: Cli, tree: Path, junit_schema: Any) -> None:
    root = ET.fromstring(junit(cli, tree, junit_schema))
    expected = findings_by_file(cli, tree)
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == list(FILES)
    findings = sum(len(f) for f in expected.values())
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == (str(findings + 2), str(findings), "1")
    for suite in suites:
        name = suite.get("name")
        cases = suite.findall("testcase")
        assert all(c.get("classname") == name for c in cases)
        assert suite.get("tests") == str(len(cases))
        if name == "missing.Dockerfile":
            assert (suite.get("failures"), suite.get("errors")) == ("0", "1")
            [error] = cases[0].findall("error")
            assert error.get("type") == "file-error"
            assert "no such file or directory" in (error.get("message") or "")
            continue
        assert name is not None
        want = expected[name]
        assert (suite.get("failures"), suite.get("errors")) == (str(len(want)), "0")
        if not want:
            assert [(c.get("name"), list(c)) for c in cases] == [("no findings", [])]
            continue
        assert [c.get("name") for c in cases] == [f"{f['code']} {f['name']} line {f['line']}" for f in want]
        failures = [c.find("failure") for c in cases]
        assert [(x.get("type"), x.get("message")) for x in failures if x is not None] == [
            (f["severity"], f["message"]) for f in want
        ]
        assert all(
            x is not None and f"{name}:{f['line']}:{f['column']}: {f['code']}" in (x.text or "")
            for x, f in zip(failures, want, strict=True)
        )


def test_junit_read_by_junitparser(cli: Cli, tree: Path, junit_schema: Any) -> None:
    from junitparser import Error, Failure, JUnitXml

    xml = JUnitXml.fromstring(junit(cli, tree, junit_schema))
    suites = {suite.name: suite for suite in xml}
    assert set(suites) == set(FILES)
    ended = suites["ended.Dockerfile"]
    assert (ended.tests, ended.failures, ended.errors) == (2, 2, 0)
    results = [(case.name, [(type(r), r.type) for r in case.result]) for case in ended]
    assert results == [
        ("RL202 end-of-maintenance line 1", [(Failure, "error")]),
        ("RL204 patch-not-latest line 1", [(Failure, "warning")]),
    ]
    [clean] = list(suites["clean.Dockerfile"])
    assert clean.is_passed
    [missing] = list(suites["missing.Dockerfile"])
    assert [type(r) for r in missing.result] == [Error]
    odd = [r.message for case in suites[ODD_NAME] for r in case.result]
    assert len(odd) == 2 and all('&<>"' in m for m in odd)


def test_junit_identical_lines_are_two_test_cases(cli: Cli, tmp_path: Path, junit_schema: Any) -> None:
    write(tmp_path / "Dockerfile", PATCH + PATCH)
    root = ET.fromstring(junit(cli, tmp_path, junit_schema, "Dockerfile"))
    names = [c.get("name") for c in root.iter("testcase")]
    assert names == ["RL204 patch-not-latest line 1", "RL204 patch-not-latest line 2"]


# Escaping, in process ------------------------------------------------------------------------------


def _odd_results() -> list[FileResult]:
    result = FileResult("dir/a &<>\"'\x01 b.Dockerfile")
    result.lines = ['FROM x:1 # &<>"\x02']
    span = Span(1, 6, 1, 9)
    result.findings = [
        Finding("RL999", "odd", ERROR, 'quotes "a" & <b>\nsecond line\ttab \x1b[31m', span),
        Finding("RL998", "odd-too", WARNING, "plain", span),
        Finding("RL997", "odd-info", INFO, "no place", Span(0, 0, 0, 0)),
    ]
    return [result]


def _render(fmt: str) -> str:
    from conftest import AS_OF

    from runtime_lint.catalog import bundled

    return FORMATS[fmt].render(_odd_results(), Run(AS_OF, bundled(), {}))


@pytest.mark.parametrize("fmt", ["checkstyle", "junit"])
def test_xml_escapes_odd_characters(fmt: str, junit_schema: Any) -> None:
    out = _render(fmt)
    if fmt == "junit":
        junit_schema.validate(out)
    root = ET.fromstring(out)  # well-formed: no raw `&<>"`, no control characters XML cannot hold
    names = {e.get("name") for e in root.iter() if e.tag in ("file", "testsuite")}
    assert names == {"dir/a &<>\"'\ufffd b.Dockerfile"}
    messages = [e.get("message") for e in root.iter() if e.tag in ("error", "failure")]
    # by line, column and code (the finding with no place first); newlines and tabs survive in attributes
    assert messages == ["no place", "plain", 'quotes "a" & <b>\nsecond line\ttab \ufffd[31m']


def test_gitlab_odd_characters_and_findings_without_a_place(gitlab_validator: Any) -> None:
    issues = json.loads(_render("gitlab"))
    gitlab_validator.validate(issues)
    assert issues[0]["description"] == 'RL999 odd: quotes "a" & <b>\nsecond line\ttab \x1b[31m'
    assert issues[0]["location"]["path"] == "dir/a &<>\"'\x01 b.Dockerfile"  # JSON holds any character
    assert issues[2]["location"]["lines"] == {"begin": 1}  # line 0: put on line 1
