"""`--format github`: workflow commands in GitHub's exact syntax, the 10-per-type cap, the job summary."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from runtime_lint.model import ERROR, INFO, WARNING, Finding, Fix, Span
from runtime_lint.report import github

AS_OF = ("--as-of", "2026-11-28")
RUNTIME = "quay.io/astronomer/astro-runtime"
OLD_PATCH = f"FROM {RUNTIME}:13.10.0\n"  # RL204 warning, safe fix
LATEST = f"FROM {RUNTIME}:latest\n"  # RL101 error
BASE = f"FROM {RUNTIME}:13.11.0-base\n"  # RL103 info
CLEAN = f"FROM {RUNTIME}:13.11.0\n"

Cli = Callable[..., Any]

# actions/toolkit: `::name key=value,key=value::data`. Property values may hold no raw `,` `:`
# or line break (they are escaped); data holds no raw line break. Known keys only.
KEYS = ("file", "line", "endLine", "col", "endColumn", "title")
COMMAND = re.compile(
    r"^::(?P<kind>error|warning|notice)"
    r"(?: (?P<props>[A-Za-z]+=[^,:\r\n]*(?:,[A-Za-z]+=[^,:\r\n]*)*))?"
    r"::(?P<data>[^\r\n]*)$"
)


class Annotation:
    def __init__(self, kind: str, props: dict[str, str], message: str) -> None:
        self.kind = kind
        self.props = props
        self.message = message

    def __repr__(self) -> str:
        return f"Annotation({self.kind!r}, {self.props!r}, {self.message!r})"


def unescape_data(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def unescape_property(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def parse(output: str) -> tuple[list[Annotation], list[str]]:
    """Annotation commands, strictly parsed, and the other (plain) lines."""
    annotations: list[Annotation] = []
    plain: list[str] = []
    for line in output.splitlines():
        if not line.startswith("::"):
            assert not line.lstrip().startswith("::"), line  # a command must start at column 1
            plain.append(line)
            continue
        match = COMMAND.match(line)
        assert match, f"not a valid workflow command: {line!r}"
        props: dict[str, str] = {}
        for item in (match["props"] or "").split(",") if match["props"] else []:
            key, _, value = item.partition("=")
            assert key in KEYS and key not in props, line
            props[key] = unescape_property(value)
        for key in ("line", "endLine", "col", "endColumn"):
            if key in props:
                assert props[key].isdigit() and int(props[key]) >= 1, line
        annotations.append(Annotation(match["kind"], props, unescape_data(match["data"])))
    return annotations, plain


def annotate(
    cli: Cli, cwd: Path, *args: str, env: dict[str, str] | None = None
) -> tuple[Any, list[Annotation], list[str]]:
    result = cli(*args, *AS_OF, "--format", "github", cwd=cwd, env=env)
    annotations, plain = parse(result.out)
    return result, annotations, plain


def make_run() -> Any:
    from runtime_lint.catalog import load
    from runtime_lint.checks import all_rules
    from runtime_lint.report import Run

    return Run(date(2026, 11, 28), load(), all_rules())


def file_result(path: str, findings: list[Finding], error: str | None = None) -> Any:
    from runtime_lint.engine import FileResult

    result = FileResult(path)
    result.findings = findings
    result.error = error
    return result


# ------------------------------------------------------------------------------------- end to end


def test_annotations_severities_and_positions(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(OLD_PATCH)
    (tmp_path / "latest.Dockerfile").write_text(LATEST)
    (tmp_path / "base.Dockerfile").write_text(BASE)
    result, annotations, plain = annotate(cli, tmp_path, "Dockerfile", "latest.Dockerfile", "base.Dockerfile")
    assert result.code == 1
    kinds = [a.kind for a in annotations]
    assert kinds == sorted(kinds, key=["error", "warning", "notice"].index)  # most severe first
    by_file = {a.props["file"]: a for a in annotations}
    assert by_file["latest.Dockerfile"].kind == "error"
    assert by_file["latest.Dockerfile"].props["title"].startswith("RL101 ")
    warning = by_file["Dockerfile"]
    assert warning.kind == "warning"
    assert warning.props == {
        "file": "Dockerfile",
        "line": "1",
        "col": "6",
        "endLine": "1",
        "endColumn": str(6 + len(f"{RUNTIME}:13.10.0")),
        "title": "RL204 patch-not-latest",
    }
    assert warning.message.startswith("Astro Runtime 13.10.0 is not the latest release of Runtime 13")
    assert "--fix" in warning.message.splitlines()[-1]
    assert by_file["base.Dockerfile"].kind == "notice"
    assert by_file["base.Dockerfile"].props["title"] == "RL103 image-flavor"
    assert plain[-1] == "runtime-lint: found 3 problems in 3 files (1 error, 1 warning, 1 info)."


def test_messages_and_paths_round_trip(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "a,b:c"
    folder.mkdir()
    (folder / "100%.Dockerfile").write_text(LATEST)
    result, annotations, _ = annotate(cli, tmp_path, "a,b:c/100%.Dockerfile")
    (annotation,) = annotations
    assert annotation.props["file"] == "a,b:c/100%.Dockerfile"
    assert "file=a%2Cb%3Ac/100%25.Dockerfile," in result.out
    # The message holds ':' (an image reference); data keeps ':' and ',' unescaped.
    assert f"{RUNTIME}:" in annotation.message


def test_file_error(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(CLEAN)
    result, annotations, plain = annotate(cli, tmp_path, "Dockerfile", "missing.Dockerfile")
    assert result.code == 2
    (annotation,) = annotations
    assert annotation.kind == "error"
    assert annotation.props == {"file": "missing.Dockerfile"}
    assert "no such file or directory" in annotation.message
    assert result.out.splitlines()[0].startswith("::error file=missing.Dockerfile::")
    assert plain[-1] == "runtime-lint: all checks passed (1 file); 1 file could not be linted."


def test_ten_per_type_cap(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("".join(f"FROM {RUNTIME}:13.10.0 AS s{k}\n" for k in range(12)))
    (tmp_path / "latest.Dockerfile").write_text(LATEST)
    _, annotations, plain = annotate(cli, tmp_path, "Dockerfile", "latest.Dockerfile")
    assert [a.kind for a in annotations] == ["error"] + ["warning"] * 10
    assert [a.props["line"] for a in annotations[1:]] == [str(n) for n in range(1, 11)]
    (note,) = [line for line in plain if "not annotated" in line]
    assert note.startswith("runtime-lint: 2 more warnings not annotated")
    assert "at most 10" in note
    rest = plain[plain.index(note) + 1 :]
    assert rest[0].strip().startswith("Dockerfile:11:6: RL204 [warning]")
    assert rest[1].strip().startswith("Dockerfile:12:6: RL204 [warning]")
    assert rest[-1] == "runtime-lint: found 13 problems in 2 files (1 error, 12 warnings)."


def test_no_cap_note_at_ten(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(OLD_PATCH * 10)
    _, annotations, plain = annotate(cli, tmp_path, "Dockerfile")
    assert len(annotations) == 10
    assert not [line for line in plain if "not annotated" in line]


def test_clean_and_quiet(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(CLEAN)
    result, annotations, plain = annotate(cli, tmp_path, "Dockerfile")
    assert result.code == 0 and not annotations
    assert plain == ["runtime-lint: all checks passed (1 file)."]
    (tmp_path / "Dockerfile").write_text(OLD_PATCH)
    result, annotations, plain = annotate(cli, tmp_path, "Dockerfile", "--quiet")
    assert len(annotations) == 1 and plain == []


def test_step_summary_is_appended(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(OLD_PATCH)
    (tmp_path / "latest.Dockerfile").write_text(LATEST)
    summary = tmp_path / "step-summary.md"
    summary.write_text("## Earlier step\n\nkept\n", encoding="utf-8")
    env = {"GITHUB_STEP_SUMMARY": str(summary)}
    annotate(cli, tmp_path, "Dockerfile", "latest.Dockerfile", "missing.Dockerfile", env=env)
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## Earlier step\n\nkept\n")
    assert "| Location | Code | Severity | Message |" in text
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert len(rows) == 2
    assert rows[0].startswith("| `latest.Dockerfile:1` | [RL101]")
    assert "| error |" in rows[0]
    assert rows[1].startswith("| `Dockerfile:1` | [RL204](")
    assert "| warning |" in rows[1]
    assert "2 problems" in text and "**1** error" in text and "**1** warning" in text
    assert "could not be linted" in text and "`missing.Dockerfile`" in text
    # A second step appends again.
    (tmp_path / "Dockerfile").write_text(CLEAN)
    annotate(cli, tmp_path, "Dockerfile", env=env)
    again = summary.read_text(encoding="utf-8")
    assert again.startswith(text)
    assert again[len(text) :].count("## runtime-lint") == 1
    assert "All checks passed: 1 file linted." in again[len(text) :]


def test_step_summary_points_at_the_rest(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(OLD_PATCH * 12)
    summary = tmp_path / "summary.md"
    _, _, plain = annotate(cli, tmp_path, "Dockerfile", env={"GITHUB_STEP_SUMMARY": str(summary)})
    (note,) = [line for line in plain if "not annotated" in line]
    assert "job summary" in note
    assert sum(1 for line in summary.read_text().splitlines() if line.startswith("| `Dockerfile:")) == 12


def test_runtime_lint_summary_turns_the_job_summary_off(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(OLD_PATCH * 12)
    summary = tmp_path / "summary.md"
    for value in ("0", "false", "No", "off"):
        env = {"GITHUB_STEP_SUMMARY": str(summary), "RUNTIME_LINT_SUMMARY": value}
        result, annotations, plain = annotate(cli, tmp_path, "Dockerfile", env=env)
        assert result.code == 1 and len(annotations) == 10, result
        assert not summary.exists(), value
        (note,) = [line for line in plain if "not annotated" in line]
        assert "job summary" not in note and "--format sarif" in note  # points at what is there
    env = {"GITHUB_STEP_SUMMARY": str(summary), "RUNTIME_LINT_SUMMARY": "1"}
    annotate(cli, tmp_path, "Dockerfile", env=env)
    assert summary.read_text(encoding="utf-8").startswith("## runtime-lint")


def test_runtime_lint_summary_is_checked(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(CLEAN)
    result, _, _ = annotate(cli, tmp_path, "Dockerfile", env={"RUNTIME_LINT_SUMMARY": "maybe"})
    assert result.code == 2
    assert "RUNTIME_LINT_SUMMARY must be 1 or 0 (true or false), got 'maybe'" in result.err


def test_only_the_github_format_writes_the_job_summary(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(OLD_PATCH)
    summary = tmp_path / "summary.md"
    for fmt in ("text", "json", "sarif"):
        result = cli("Dockerfile", *AS_OF, "--format", fmt, cwd=tmp_path, env={"GITHUB_STEP_SUMMARY": str(summary)})
        assert result.code == 1, result
        assert not summary.exists(), fmt


# --------------------------------------------------------------------------------- in-process units


TRICKY = "100% sure: a, b\nsecond line\r\nthird %0A literal :: end"


def test_escaping_round_trips() -> None:
    finding = Finding("RL001", "dockerfile-syntax", ERROR, TRICKY, Span(2, 3, 2, 9))
    out = github.render([file_result("dir/we,ird:name%.Dockerfile", [finding])], make_run())
    annotations, plain = parse(out)
    (annotation,) = annotations
    assert annotation.message == TRICKY
    assert annotation.props["file"] == "dir/we,ird:name%.Dockerfile"
    assert annotation.props["title"] == "RL001 dockerfile-syntax"
    assert len(out.splitlines()) == 1 + len(plain)  # the newlines stayed escaped on one line
    assert github.escape_data("a%b\r\nc") == "a%25b%0D%0Ac"
    assert github.escape_property("a%b:c,d\n") == "a%25b%3Ac%2Cd%0A"
    for text in (TRICKY, "%3A%2C", ":,%\n\r"):
        assert unescape_property(github.escape_property(text)) == text
        assert unescape_data(github.escape_data(text)) == text


def test_severity_mapping_and_order() -> None:
    findings = [
        Finding("RL103", "image-flavor", INFO, "info", Span(1, 1, 1, 2)),
        Finding("RL204", "patch-not-latest", WARNING, "warning", Span(2, 1, 2, 2)),
        Finding("RL101", "untagged-image", ERROR, "error", Span(3, 1, 3, 2)),
    ]
    annotations, _ = parse(github.render([file_result("Dockerfile", findings)], make_run()))
    assert [(a.kind, a.message) for a in annotations] == [
        ("error", "error"),
        ("warning", "warning"),
        ("notice", "info"),
    ]


def test_columns_only_for_one_line_spans() -> None:
    findings = [
        Finding("RL001", "dockerfile-syntax", ERROR, "multi", Span(2, 3, 4, 5)),
        Finding("RL001", "dockerfile-syntax", ERROR, "single", Span(6, 3, 6, 9)),
        Finding("RL106", "no-runtime-image", WARNING, "nowhere", Span(0, 0, 0, 0)),
    ]
    annotations, _ = parse(github.render([file_result("Dockerfile", findings)], make_run()))
    multi, single, nowhere = annotations
    assert multi.props == {"file": "Dockerfile", "line": "2", "endLine": "4", "title": "RL001 dockerfile-syntax"}
    assert (single.props["col"], single.props["endColumn"]) == ("3", "9")
    assert nowhere.props["line"] == "1" and "col" not in nowhere.props


def test_fix_hint_names_the_flag() -> None:
    safe = Fix(Span(1, 7, 1, 9), "12.8.0", True, "update to 12.8.0")
    unsafe = Fix(Span(1, 7, 1, 9), "13.8.0", False, "pin to 13.8.0")
    findings = [
        Finding("RL204", "patch-not-latest", WARNING, "old", Span(1, 1, 1, 9), safe),
        Finding("RL101", "untagged-image", ERROR, "latest", Span(2, 1, 2, 9), unsafe),
    ]
    annotations, _ = parse(github.render([file_result("Dockerfile", findings)], make_run()))
    assert annotations[0].message == "latest\nFix: pin to 13.8.0 (run `runtime-lint --fix --unsafe-fixes`)"
    assert annotations[1].message == "old\nFix: update to 12.8.0 (run `runtime-lint --fix`)"


def test_paths_are_relative(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path)
    finding = Finding("RL204", "patch-not-latest", WARNING, "old", Span(1, 1, 1, 2))
    out = github.render([file_result(os.path.join(str(tmp_path), "sub", "Dockerfile"), [finding])], make_run())
    (annotation,), _ = parse(out)
    assert annotation.props["file"] == "sub/Dockerfile"


def test_step_summary_escapes_table_cells(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    finding = Finding("RL001", "dockerfile-syntax", ERROR, "a | b\nc", Span(1, 1, 1, 2))
    text = github.summary_markdown([file_result("Dockerfile", [finding])], make_run())
    (row,) = [line for line in text.splitlines() if line.startswith("| `")]
    assert row.endswith("| a \\| b<br>c |")
    github.render([file_result("Dockerfile", [finding])], make_run())
    assert not summary.exists()  # the format writes no file: the command appends the summary


def test_unwritable_step_summary_is_reported(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(CLEAN)
    env = {"GITHUB_STEP_SUMMARY": str(tmp_path / "no" / "such" / "file.md")}
    result, annotations, plain = annotate(cli, tmp_path, "Dockerfile", env=env)
    assert result.code == 0 and not annotations  # a warning, not a failure
    assert "runtime-lint: warning: cannot append to GITHUB_STEP_SUMMARY" in result.err
    assert plain == ["runtime-lint: all checks passed (1 file)."]
