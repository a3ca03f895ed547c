"""`--format sarif`: valid against the official SARIF 2.1.0 schema, with what GitHub code scanning needs."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest

from runtime_lint import rulebook
from runtime_lint.model import ERROR, INFO, WARNING, Finding, Fix, Span
from runtime_lint.report import sarif as sarif_module

SCHEMA_PATH = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
AS_OF = ("--as-of", "2026-11-28")
RUNTIME = "quay.io/astronomer/astro-runtime"
OLD_PATCH = f"FROM {RUNTIME}:13.10.0\n"  # RL204 on 2026-11-28 (13.11.0 is the latest of Runtime 13), safe fix
CONTINUED = f"ARG PY=3.11\nFROM \\\n  {RUNTIME}:13.10.0 \\\n  AS base\n"
CLEAN = f"FROM {RUNTIME}:13.11.0\n"

Cli = Callable[..., Any]


@pytest.fixture(scope="module")
def validator() -> Any:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    # The OASIS schema declares draft-04: use the validator its `$schema` names.
    assert "draft-04" in schema["$schema"]
    cls = jsonschema.validators.validator_for(schema)
    assert cls is jsonschema.Draft4Validator
    cls.check_schema(schema)
    return cls(schema)


def sarif(cli: Cli, cwd: Path, *args: str, code: int | None = None) -> dict[str, Any]:
    result = cli(*args, *AS_OF, "--format", "sarif", cwd=cwd)
    if code is not None:
        assert result.code == code, result
    assert result.out.endswith("\n")
    doc: dict[str, Any] = json.loads(result.out)
    return doc


def findings_json(cli: Cli, cwd: Path, *args: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(cli(*args, *AS_OF, "--format", "json", cwd=cwd).out)
    return doc


def valid(validator: Any, doc: dict[str, Any]) -> None:
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


def check_github_fields(doc: dict[str, Any]) -> None:
    """What GitHub code scanning requires or reads, present and not empty."""
    assert doc["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert doc["version"] == "2.1.0"
    (run,) = doc["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "runtime-lint"
    assert driver["version"] and driver["semanticVersion"]
    assert urlsplit(driver["informationUri"]).scheme == "https"
    rules = driver["rules"]
    assert rules
    ids = [rule["id"] for rule in rules]
    assert len(set(ids)) == len(ids)
    for rule in rules:
        assert re.fullmatch(r"[A-Z]+\d+", rule["id"])
        assert 0 < len(rule["name"]) <= 255
        for key in ("shortDescription", "fullDescription"):
            assert rule[key]["text"].strip(), (rule["id"], key)
            assert len(rule[key]["text"]) <= 1024
        assert rule["help"]["text"].strip() and rule["help"]["markdown"].strip()
        assert urlsplit(rule["helpUri"]).scheme == "https"
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note", "none")
        props = rule["properties"]
        assert props["tags"] and "astro-runtime" in props["tags"] and len(props["tags"]) <= 20
        assert props["precision"] in ("very-high", "high", "medium", "low")
        assert props["problem.severity"] in ("error", "warning", "recommendation")
    assert run["columnKind"] == "unicodeCodePoints"
    base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base.startswith("file:///") and base.endswith("/")
    assert isinstance(run["results"], list)
    for result in run["results"]:
        assert result["ruleId"] == ids[result["ruleIndex"]]
        assert result["level"] in ("error", "warning", "note")
        assert result["message"]["text"].strip()
        (location,) = result["locations"]  # exactly one
        physical = location["physicalLocation"]
        artifact = physical["artifactLocation"]
        assert artifact["uriBaseId"] == "%SRCROOT%"
        check_relative_uri(artifact["uri"])
        check_region(physical["region"])
        fingerprint = result["partialFingerprints"]["primaryLocationLineHash"]
        assert re.fullmatch(r"[0-9a-f]{16}:\d+", fingerprint)
        for fix in result.get("fixes", []):
            assert fix["description"]["text"]
            for change in fix["artifactChanges"]:
                assert change["artifactLocation"] == artifact
                for replacement in change["replacements"]:
                    check_region(replacement["deletedRegion"])
                    assert "text" in replacement["insertedContent"]


def check_relative_uri(uri: str) -> None:
    parts = urlsplit(uri)
    assert not parts.scheme and not parts.netloc, uri
    assert not uri.startswith("/") and "\\" not in uri and " " not in uri, uri


def check_region(region: dict[str, int]) -> None:
    assert set(region) == {"startLine", "startColumn", "endLine", "endColumn"}
    assert all(isinstance(v, int) and v >= 1 for v in region.values()), region
    assert region["endLine"] >= region["startLine"]
    if region["endLine"] == region["startLine"]:
        assert region["endColumn"] >= region["startColumn"]


def results_by_uri(doc: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for result in doc["runs"][0]["results"]:
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        out.setdefault(uri, []).append(result)
    return out


# ------------------------------------------------------------------------------------------ tests


def test_clean_run_is_valid_with_empty_results(cli: Cli, tmp_path: Path, validator: Any) -> None:
    (tmp_path / "Dockerfile").write_text(CLEAN)
    doc = sarif(cli, tmp_path, "Dockerfile", code=0)
    valid(validator, doc)
    check_github_fields(doc)
    run = doc["runs"][0]
    assert run["results"] == []
    assert run["invocations"][0]["executionSuccessful"] is True
    assert "toolExecutionNotifications" not in run["invocations"][0]
    assert "automationDetails" not in run


def test_findings_fixes_and_file_error(cli: Cli, tmp_path: Path, validator: Any) -> None:
    (tmp_path / "Dockerfile").write_text(OLD_PATCH)
    (tmp_path / "Dockerfile.multi").write_text(CONTINUED)
    (tmp_path / "latest.Dockerfile").write_text(f"FROM {RUNTIME}:latest\n")
    (tmp_path / "base.Dockerfile").write_text(f"FROM {RUNTIME}:13.11.0-base\n")
    paths = ("Dockerfile", "Dockerfile.multi", "latest.Dockerfile", "base.Dockerfile", "missing/Dockerfile")
    doc = sarif(cli, tmp_path, *paths, code=2)  # the missing file is an I/O error: exit 2, report still written
    valid(validator, doc)
    check_github_fields(doc)
    run = doc["runs"][0]

    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error"
    assert "missing/Dockerfile" in note["message"]["text"]
    assert "no such file" in note["message"]["text"]

    found = results_by_uri(doc)
    assert set(found) == {"Dockerfile", "Dockerfile.multi", "latest.Dockerfile", "base.Dockerfile"}
    levels = {uri: [r["level"] for r in results] for uri, results in found.items()}
    assert levels["Dockerfile"] == ["warning"]  # RL204
    assert "error" in levels["latest.Dockerfile"]  # RL101
    assert levels["base.Dockerfile"] == ["note"]  # RL103 is info

    (single,) = found["Dockerfile"]
    assert single["ruleId"] == "RL204"
    assert single["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 1,
        "startColumn": 6,
        "endLine": 1,
        "endColumn": 6 + len(f"{RUNTIME}:13.10.0"),
    }
    (continued,) = found["Dockerfile.multi"]
    region = continued["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (3, 3)  # the operand's own line, not the FROM's

    # Every region and fix is the JSON format's, position for position.
    files = {f["path"]: f for f in findings_json(cli, tmp_path, *paths)["files"]}
    for uri, results in found.items():
        expected = files[uri]["findings"]
        assert [r["ruleId"] for r in results] == [f["code"] for f in expected]
        for result, finding in zip(results, expected, strict=True):
            assert result["message"]["text"] == finding["message"]
            assert result["locations"][0]["physicalLocation"]["region"] == {
                "startLine": finding["line"],
                "startColumn": finding["column"],
                "endLine": finding["end_line"],
                "endColumn": finding["end_column"],
            }
            if finding["fix"] is None:
                assert "fixes" not in result
                continue
            fix = finding["fix"]
            (sarif_fix,) = result["fixes"]
            (change,) = sarif_fix["artifactChanges"]
            (replacement,) = change["replacements"]
            assert replacement["deletedRegion"] == {
                "startLine": fix["line"],
                "startColumn": fix["column"],
                "endLine": fix["end_line"],
                "endColumn": fix["end_column"],
            }
            assert replacement["insertedContent"]["text"] == fix["replacement"]
            assert fix["description"] in sarif_fix["description"]["text"]
    # The RL204 fix, applied to the file text, gives what --fix writes.
    (replacement,) = single["fixes"][0]["artifactChanges"][0]["replacements"]
    deleted = replacement["deletedRegion"]
    line = OLD_PATCH.rstrip("\n")
    fixed = (
        line[: deleted["startColumn"] - 1] + replacement["insertedContent"]["text"] + line[deleted["endColumn"] - 1 :]
    )
    assert fixed == f"FROM {RUNTIME}:13.11.0"


def test_every_rule_is_described(cli: Cli, tmp_path: Path, validator: Any) -> None:
    (tmp_path / "Dockerfile").write_text(CLEAN)
    doc = sarif(cli, tmp_path, "Dockerfile")
    driver = doc["runs"][0]["tool"]["driver"]
    listed = json.loads(cli("rules", "--format", "json", cwd=tmp_path).out)
    assert [rule["id"] for rule in driver["rules"]] == [r["code"] for r in listed]
    for rule, known in zip(driver["rules"], listed, strict=True):
        assert rule["name"] == known["name"]
        assert rule["shortDescription"]["text"] == known["summary"]
        assert rule["helpUri"] == rulebook.url(rule["id"])
        level = {"error": "error", "warning": "warning", "info": "note", "off": "none"}[known["default_severity"]]
        assert rule["defaultConfiguration"]["level"] == level
        page = rulebook.page(rule["id"])
        if page is None:
            assert rule["help"]["text"].endswith(known["summary"])
            assert rule["fullDescription"]["text"] == known["summary"]
        else:
            assert rule["help"]["markdown"] == sarif_module._absolute_links(page.strip())
            what = rulebook.section(page, "What it does")
            plain = sarif_module._unwrap(sarif_module._plain(sarif_module._absolute_links(what)))
            expected = sarif_module._limit(plain) if plain else known["summary"]
            assert rule["fullDescription"]["text"] == expected


def test_paths_are_relative_with_forward_slashes(cli: Cli, tmp_path: Path, validator: Any) -> None:
    sub = tmp_path / "services" / "my app"
    sub.mkdir(parents=True)
    (sub / "Dockerfile").write_text(OLD_PATCH)
    by_folder = sarif(cli, tmp_path, "services")
    by_absolute = sarif(cli, tmp_path, str(sub / "Dockerfile"))
    for doc in (by_folder, by_absolute):
        valid(validator, doc)
        check_github_fields(doc)
        assert list(results_by_uri(doc)) == ["services/my%20app/Dockerfile"]


def test_fingerprints_survive_lines_inserted_above(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(f"# build\n{OLD_PATCH}{OLD_PATCH.replace('FROM', 'from')}")
    before = results_by_uri(sarif(cli, tmp_path, "Dockerfile"))["Dockerfile"]
    (tmp_path / "Dockerfile").write_text(
        f"# build\n\n\n# a longer comment\n\n{OLD_PATCH}\n{OLD_PATCH.replace('FROM', 'from')}"
    )
    after = results_by_uri(sarif(cli, tmp_path, "Dockerfile"))["Dockerfile"]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in before] == [2, 3]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in after] == [6, 8]
    assert [r["partialFingerprints"] for r in before] == [r["partialFingerprints"] for r in after]
    # Two findings of one rule still have different fingerprints.
    assert before[0]["partialFingerprints"] != before[1]["partialFingerprints"]


def test_identical_lines_are_told_apart_by_occurrence(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(OLD_PATCH * 2 + OLD_PATCH.replace(" ", "  "))  # blanks do not count
    results = results_by_uri(sarif(cli, tmp_path, "Dockerfile"))["Dockerfile"]
    hashes = [r["partialFingerprints"]["primaryLocationLineHash"] for r in results]
    assert len(set(hashes)) == 3
    assert [h.split(":")[1] for h in hashes] == ["1", "2", "3"]
    assert len({h.split(":")[0] for h in hashes}) == 1


def test_fingerprint_follows_the_flagged_text(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(OLD_PATCH)
    first = results_by_uri(sarif(cli, tmp_path, "Dockerfile"))["Dockerfile"][0]["partialFingerprints"]
    (tmp_path / "Dockerfile").write_text(OLD_PATCH.replace("13.10.0", "13.9.0"))
    second = results_by_uri(sarif(cli, tmp_path, "Dockerfile"))["Dockerfile"][0]["partialFingerprints"]
    assert first["primaryLocationLineHash"] != second["primaryLocationLineHash"]


def test_automation_id(cli: Cli, tmp_path: Path, validator: Any) -> None:
    (tmp_path / "Dockerfile").write_text(OLD_PATCH)
    doc = sarif(cli, tmp_path, "Dockerfile", "--automation-id", "runtime-lint/services/")
    valid(validator, doc)
    assert doc["runs"][0]["automationDetails"] == {"id": "runtime-lint/services/"}


def test_output_file(cli: Cli, tmp_path: Path, validator: Any) -> None:
    (tmp_path / "Dockerfile").write_text(OLD_PATCH)
    result = cli("Dockerfile", *AS_OF, "--format", "sarif", "-o", "results.sarif", cwd=tmp_path)
    assert result.code == 1 and result.out == ""
    doc = json.loads((tmp_path / "results.sarif").read_text(encoding="utf-8"))
    valid(validator, doc)
    check_github_fields(doc)
    assert len(doc["runs"][0]["results"]) == 1


def test_sarif_module_only_imported_for_sarif(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(CLEAN)
    code = (
        "import sys; from runtime_lint.cli import main; main(sys.argv[1:]); "
        "sys.stderr.write(str('runtime_lint.report.sarif' in sys.modules))"
    )
    for fmt, imported in (("json", "False"), ("sarif", "True")):
        proc = subprocess.run(
            [sys.executable, "-c", code, "Dockerfile", *AS_OF, "--format", fmt],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.stderr.endswith(imported), proc.stderr


# --------------------------------------------------------------------------------- in-process units


def make_run() -> Any:
    from datetime import date

    from runtime_lint.catalog import load
    from runtime_lint.checks import all_rules
    from runtime_lint.report import Run

    return Run(date(2026, 11, 28), load(), all_rules())


def file_result(path: str, text: str, findings: list[Finding]) -> Any:
    from runtime_lint.dockerfile import parse
    from runtime_lint.engine import FileResult

    result = FileResult(path)
    result.text = text
    result.dockerfile = parse(text)
    result.findings = findings
    return result


def test_finding_without_a_line_points_at_the_file(validator: Any) -> None:
    result = file_result("Dockerfile", "", [Finding("RL106", "no-runtime-image", WARNING, "no FROM", Span(0, 0, 0, 0))])
    doc = json.loads(sarif_module.render([result], make_run()))
    valid(validator, doc)
    (found,) = doc["runs"][0]["results"]
    assert found["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 1,
        "startColumn": 1,
        "endLine": 1,
        "endColumn": 1,
    }


def test_levels_multiline_spans_and_unsafe_fixes(validator: Any) -> None:
    text = "FROM \\\n  a:1 \\\n  AS x\n"
    findings = [
        Finding("RL001", "dockerfile-syntax", ERROR, "bad", Span(1, 1, 3, 7)),
        Finding("RL204", "patch-not-latest", WARNING, "old", Span(2, 3, 2, 6), Fix(Span(2, 5, 2, 6), "2", False, "x")),
        Finding("RL103", "image-flavor", INFO, "flavor", Span(2, 3, 2, 6)),
    ]
    doc = json.loads(sarif_module.render([file_result("sub/Dockerfile", text, findings)], make_run()))
    valid(validator, doc)
    check_github_fields(doc)
    results = doc["runs"][0]["results"]
    assert [r["level"] for r in results] == ["error", "warning", "note"]
    assert results[0]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 1,
        "startColumn": 1,
        "endLine": 3,
        "endColumn": 7,
    }
    assert results[1]["fixes"][0]["properties"] == {"safe": False}
    assert "unsafe" in results[1]["fixes"][0]["description"]["text"]


def test_rule_help_comes_from_the_rule_page(monkeypatch: pytest.MonkeyPatch) -> None:
    from runtime_lint.checks import all_rules

    page = (
        "# RL204 patch-not-latest\n\n## What it does\n\nFlags a `Runtime` release that\nis not the newest patch.\n\n"
        "- one\n- two\n\n"
        "## Example\n\n```dockerfile\n# runtime-lint: ignore=RL204\n"
        "FROM quay.io/astronomer/astro-runtime:12.6.0\n```\n\n"
        "## Related\n\nSee also [RL205](RL205.md#fix), [the README](../README.md#config), "
        "[docs](https://example.com/x) and [below](#example).\n"
    )
    monkeypatch.setattr(rulebook, "page", lambda code: page if code == "RL204" else None)
    rule = sarif_module.rule_object(all_rules()["RL204"])
    assert rule["fullDescription"]["text"] == "Flags a `Runtime` release that is not the newest patch.\n\n- one\n- two"
    base = "https://github.com/runtime-lint/runtime-lint/blob/main/"
    assert rule["help"]["markdown"] == page.strip().replace("(RL205.md#fix)", f"({base}rules/RL205.md#fix)").replace(
        "(../README.md#config)", f"({base}README.md#config)"
    )
    help_text = rule["help"]["text"]
    assert "```" not in help_text and not help_text.startswith("#") and "\n## " not in help_text
    assert help_text.startswith("RL204 patch-not-latest\n\nWhat it does\n")
    assert "\n# runtime-lint: ignore=RL204\n" in help_text  # a comment in a code block is not a heading
    assert "FROM quay.io/astronomer/astro-runtime:12.6.0" in rule["help"]["text"]
    fallback = sarif_module.rule_object(all_rules()["RL101"])
    assert fallback["fullDescription"]["text"] == all_rules()["RL101"].summary
    assert fallback["help"]["text"].endswith(all_rules()["RL101"].summary)


def test_off_rules_are_listed_as_not_enabled() -> None:
    from runtime_lint.checks import all_rules

    rule = sarif_module.rule_object(all_rules()["RL301"])
    assert rule["defaultConfiguration"] == {"level": "none", "enabled": False}
    assert "policy" in rule["properties"]["tags"]
