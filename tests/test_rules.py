"""Each rule, firing and not firing, on Dockerfiles of real shapes, as of a fixed day."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from conftest import AS_OF

from runtime_lint import catalog as catalog_mod
from runtime_lint.checks import all_rules
from runtime_lint.config import resolve
from runtime_lint.engine import lint_text
from runtime_lint.model import Finding

RT = "quay.io/astronomer/astro-runtime"
AF3 = "astrocrpublic.azurecr.io/runtime"
CATALOG = catalog_mod.load()


def lint(
    text: str,
    as_of: date = AS_OF,
    path: str = "Dockerfile",
    build_args: dict[str, str] | None = None,
    **options: Any,
) -> list[Finding]:
    overrides: dict[str, Any] = {"as-of": as_of, "astro-project": options.pop("astro_project", False)}
    overrides.update({key.replace("_", "-"): value for key, value in options.items()})
    rules = all_rules()
    settings = resolve(None, overrides, rules, path, AS_OF)
    return lint_text(path, text, settings, CATALOG, rules, build_args).findings


def codes(text: str, **kwargs: Any) -> list[str]:
    return [f.code for f in lint(text, **kwargs)]


def only(text: str, code: str, **kwargs: Any) -> Finding:
    found = [f for f in lint(text, **kwargs) if f.code == code]
    assert len(found) == 1, found
    return found[0]


# RL001 / RL002 ------------------------------------------------------------------------------


def test_rl001_syntax_problem_is_located() -> None:
    finding = only(f"FROM {RT}:13.11.0 AS\n", "RL001")
    assert finding.span.line == 1
    assert "FROM requires" in finding.message


def test_rl002_bad_pragmas() -> None:
    text = f"# runtime-lint: ignore=RL999\n# runtime-lint: disable=RL204\nFROM {RT}:13.11.0\n"
    found = [f for f in lint(text) if f.code == "RL002"]
    assert [f.span.line for f in found] == [1, 2]
    assert "RL999" in found[0].message


# RL101 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("image", [RT, f"{RT}:latest", f"{RT}:LATEST", f"{RT}@sha256:{'a' * 64}"])
def test_rl101_untagged_runtime_image(image: str) -> None:
    finding = only(f"FROM {image}\n", "RL101")
    if "@" in image:  # which release the digest pins is unknown: a tag beside it could lie
        assert finding.fix is None and "add its tag" in finding.message
        return
    assert finding.fix is not None and not finding.fix.safe
    assert "13.11.0" in finding.fix.replacement
    assert "(Airflow 2.11.2, maintained until 2027-04-30)" in finding.message


@pytest.mark.parametrize("image", ["python", "python:latest", f"{RT}:13.11.0"])
def test_rl101_quiet_for_other_images_and_tagged_runtime(image: str) -> None:
    assert "RL101" not in codes(f"FROM {image}\n")


def test_rl101_on_af3_registry_suggests_af3_release() -> None:
    finding = only(f"FROM {AF3}\n", "RL101")
    assert finding.fix is not None and finding.fix.replacement == ":3.3-8"


# RL102 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("tag", ["v9.1.0", "9.1.0-slimmer", "12.6", "stable"])
def test_rl102_invalid_tags(tag: str) -> None:
    assert "RL102" in codes(f"FROM {RT}:{tag}\n")


def test_rl102_floating_tag_is_pinned_with_unsafe_fix() -> None:
    finding = only(f"FROM {AF3}:3.1-python-3.12\n", "RL102")
    assert "3.1-21-python-3.12" in finding.message
    assert finding.fix is not None and finding.fix.replacement == "3.1-21" and not finding.fix.safe


@pytest.mark.parametrize("tag", ["13.11.0", "3.1-14", "13.11.0-python-3.12-base"])
def test_rl102_quiet_for_valid_tags(tag: str) -> None:
    assert "RL102" not in codes(f"FROM {RT}:{tag}\n")


def test_rl102_ignores_non_runtime_images() -> None:
    assert "RL102" not in codes("FROM python:v9.1.0\n")


# RL103 ----------------------------------------------------------------------------------------


def test_rl103_base_flavor_on_deployed_stage() -> None:
    finding = only(f"FROM {RT}:13.11.0-base\n", "RL103")
    assert finding.severity_name == "info"
    assert "'13.11.0'" in finding.message


def test_rl103_only_the_final_stage_counts() -> None:
    text = f"FROM {RT}:13.11.0-base AS build\nFROM {RT}:13.11.0\n"
    assert "RL103" not in codes(text)


def test_rl103_flavor_setting() -> None:
    assert "RL103" in codes(f"FROM {RT}:13.11.0\n", flavor="base")
    assert "RL103" not in codes(f"FROM {RT}:13.11.0-base\n", flavor="base")
    assert "RL103" not in codes(f"FROM {RT}:13.11.0-base\n", flavor="any")


# RL104 ----------------------------------------------------------------------------------------


def test_rl104_arg_without_default() -> None:
    finding = only(f"ARG TAG\nFROM {RT}:${{TAG}}\n", "RL104")
    assert "TAG has no default" in finding.message
    assert "--build-arg TAG=" in finding.message


def test_rl104_resolved_by_build_arg() -> None:
    text = f"ARG TAG\nFROM {RT}:${{TAG}}\n"
    assert codes(text, build_args={"TAG": "13.11.0"}) == []
    assert codes(text, build_args={"TAG": "13.10.0"}) == ["RL204"]


def test_rl104_platform_args() -> None:
    finding = only("FROM img:$TARGETARCH\n", "RL104")
    assert "build platform" in finding.message
    assert "--build-arg" not in finding.message


def test_rl104_target_stage_is_predefined_by_the_build() -> None:
    # dockerfile2llb/platform.go defaultArgs: TARGETSTAGE is the --target stage, "default" without one
    finding = only(f"FROM {RT}:$TARGETSTAGE\n", "RL104")
    assert "TARGETSTAGE is the stage the build targets" in finding.message
    assert "not declared" not in finding.message
    assert codes(f"FROM {RT}:$TARGETSTAGE\n", build_args={"TARGETSTAGE": "13.11.0"}) == []


@pytest.mark.parametrize(
    ("text", "meant"),
    [  # dockerfile2llb/validations.go reportUnusedFromArgs: util/suggest.Search, case-sensitive,
        # the closest declared or predefined name at a Levenshtein distance under 3
        ("ARG RUNTIME_VERSION=13.11.0\nFROM {rt}:${{RUNTIME_VERISON:-13.11.0}}\n", "RUNTIME_VERSION"),
        ("ARG TAG=13.11.0\nFROM {rt}:13.11.0$TAGS\n", "TAG"),
        ("FROM --platform=linux/amd64 {rt}:13.11.0-$BULIDPLATFORM\n", "BUILDPLATFORM"),
        ("ARG MY_ARCH=amd64\nFROM {rt}:13.11.0-${{MYARCH}}\n", "MY_ARCH"),
        ("ARG tag=13.11.0\nFROM {rt}:${{tag}}${{version}}\n", None),  # dockerfile_check_test.go: no match
        ("ARG tag=13.11.0\nFROM {rt}:13.11.0${{TAG}}\n", None),  # case counts: 3 edits away
    ],
)
def test_rl104_undeclared_names_get_buildkits_suggestion(text: str, meant: str | None) -> None:
    message = only(text.format(rt=RT), "RL104").message
    if meant is None:
        assert "did you mean" not in message
    else:
        assert f"(did you mean {meant}?)" in message


def test_rl104_default_via_modifier_resolves() -> None:
    assert codes(f"ARG TAG\nFROM {RT}:${{TAG:-13.11.0}}\n") == []


def test_rl104_arg_without_default_that_still_gives_a_reference_is_linted_not_reported() -> None:
    # BuildKit builds `13.10.0${VARIANT}` as `13.10.0` (dockerfile_test.go testUndeclaredArg)
    assert codes(f"ARG VARIANT\nFROM {RT}:13.10.0${{VARIANT}}\n") == ["RL204"]
    assert codes(f"ARG VARIANT\nFROM {RT}:13.11.0${{VARIANT}}\n") == []


def test_rl104_undeclared_variable_warns_and_the_image_is_linted() -> None:
    # BuildKit expands it to "" and warns: UndefinedArgInFrom (linter/ruleset.go)
    found = [(f.code, f.message) for f in lint(f"FROM {RT}:13.10.0${{VARIANT}}\n")]
    assert "RL204" in {code for code, _ in found}, found
    (message,) = [message for code, message in found if code == "RL104"]
    assert message == (
        "VARIANT is not declared by an ARG before the first FROM: BuildKit expands it to the empty string "
        "(UndefinedArgInFrom); declare 'ARG VARIANT=...' before the first FROM"
    )


def test_rl104_empty_value_that_leaves_an_invalid_reference() -> None:
    finding = only(f"ARG TAG\nFROM {RT}:${{TAG}}\n", "RL104")
    assert finding.message == (
        f"image '{RT}:${{TAG}}' cannot be resolved: TAG has no default, so BuildKit expands it to '' and "
        f"'{RT}:' is not a valid reference; give it a default or pass --build-arg TAG=..."
    )
    finding = only("FROM $NOPE\n", "RL104")
    assert "NOPE is not declared by an ARG before the first FROM, so BuildKit expands it to '' and '' is not" in (
        finding.message
    )


def test_rl104_positional_parameters_are_always_empty() -> None:
    assert codes(f"FROM {RT}:13.11.0$1\n") == []  # shell/envVarTest: `he$1x` is `hex`
    finding = only(f"FROM {RT}:$1\n", "RL104")
    assert "1 is a positional parameter" in finding.message


def test_rl104_required_variable_still_fails() -> None:
    finding = only(f"ARG TAG\nFROM {RT}:13.11.0${{TAG:?}}\n", "RL104")
    assert "TAG must be set" in finding.message


def test_rl104_platform_only_when_the_image_depends_on_it() -> None:
    assert codes(f"ARG P=$TARGETARCH\nFROM {RT}:13.11.0\n") == []
    assert codes(f"FROM --platform=$TARGETPLATFORM {RT}:13.11.0\n") == []
    assert "build platform" in only(f"FROM {RT}:13.11.0-$TARGETARCH\n", "RL104").message


# RL105 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("image", "target", "context"),
    [
        # the ONBUILD steps of -onbuild are what the non-base Runtime image does
        ("quay.io/astronomer/ap-airflow:2.3.4-onbuild", f"{RT}:13.11.0", "Runtime 5.5.0 shipped Airflow 2.3.4"),
        ("quay.io/astronomer/ap-airflow:2.3.4-7", f"{RT}:13.11.0-base", "Runtime 5.5.0 shipped Airflow 2.3.4"),
        ("astronomerinc/ap-airflow:2.2.5-buster-onbuild", f"{RT}:13.11.0", "Runtime 4.2.9 shipped Airflow 2.2.5"),
    ],
)
def test_rl105_retired_certified_images_move_to_a_maintained_airflow2_line(
    image: str, target: str, context: str
) -> None:
    finding = only(f"FROM {image}\n", "RL105")
    assert f"move to {target} (Airflow 2.11.2, maintained until 2027-04-30)" in finding.message
    assert context in finding.message
    assert finding.fix is not None and finding.fix.replacement == target and not finding.fix.safe
    assert finding.fix.description == f"move to {target}"  # what the report says is what --fix writes


def test_rl105_without_version() -> None:
    finding = only("FROM quay.io/astronomer/ap-airflow\n", "RL105")
    assert "shipped" not in finding.message  # no Airflow version to compare with
    assert finding.fix is not None and finding.fix.replacement == f"{RT}:13.11.0-base"


def test_rl105_no_fix_when_no_airflow2_line_is_maintained() -> None:
    finding = only("FROM quay.io/astronomer/ap-airflow:2.3.4-7\n", "RL105", as_of=date(2027, 5, 1))
    assert finding.fix is None
    assert "Airflow 3" in finding.message


def test_rl105_quiet_for_runtime() -> None:
    assert "RL105" not in codes(f"FROM {RT}:13.11.0\n")


# RL106 ----------------------------------------------------------------------------------------


def test_rl106_astro_project_not_on_runtime() -> None:
    assert codes("FROM apache/airflow:2.10.0\n", astro_project=True) == ["RL106"]
    assert codes("FROM apache/airflow:2.10.0\n", astro_project=False) == []


def test_rl106_follows_stage_references() -> None:
    text = f"FROM {RT}:13.11.0 AS base\nFROM base\n"
    assert codes(text, astro_project=True) == []
    assert codes(f"FROM {RT}:13.11.0 AS build\nFROM python:3.12\n", astro_project=True) == ["RL106"]


def test_rl106_empty_dockerfile_in_astro_project() -> None:
    assert codes("", astro_project=True) == ["RL106"]


def test_rl106_detects_astro_project_folder(tmp_path: Any) -> None:
    (tmp_path / ".astro").mkdir()
    path = str(tmp_path / "Dockerfile")
    assert codes("FROM python:3.12\n", path=path, astro_project=None) == ["RL106"]


# RL201 ----------------------------------------------------------------------------------------


def test_rl209_newer_than_catalog_says_update() -> None:
    finding = only(f"FROM {RT}:14.0.0\n", "RL209")
    assert finding.severity_name == "warning"
    assert "newer than every release in the catalog (data as of 2026-09-25)" in finding.message
    assert "runtime-lint catalog update" in finding.message
    assert "RL201" not in codes(f"FROM {RT}:14.0.0\n")
    assert "RL208" not in codes(f"FROM {RT}:14.0.0\n")  # RL209 says it better
    assert "RL208" in codes(f"FROM {RT}:14.0.0\n", ignore=["RL209"])


def test_rl201_gap_in_a_complete_line() -> None:
    finding = only(f"FROM {RT}:10.5.1\n", "RL201")
    assert "not a published release" in finding.message
    assert "10.9.0" in finding.message


def test_rl201_gap_in_a_line_known_from_use_is_inferred() -> None:
    # Runtime 12 is known only from releases seen in use: 12.3.0 most likely exists
    assert codes(f"FROM {RT}:12.3.1\n") == ["RL202", "RL204"]
    finding = only(f"FROM {RT}:12.3.1\n", "RL204")
    assert "update to '12.12.0'" in finding.message
    line4 = lint(f"FROM {RT}:4.2.3\n")  # no release notes for 4.2.2 and 4.2.3; line 4's support ended 2024-09-30
    assert [f.code for f in line4] == ["RL204", "RL207"]
    assert "2024-09-30" in line4[1].message


def test_rl209_newer_than_the_known_releases_of_an_incomplete_line() -> None:
    finding = only(f"FROM {RT}:13.12.0\n", "RL209")
    assert "newer than the catalog's releases of Runtime 13" in finding.message
    assert "catalog update" in finding.message
    assert codes(f"FROM {RT}:13.12.0\n") == ["RL209"]  # maintained, like the rest of Runtime 13
    # linted with the line's lifecycle: Runtime 12 ended maintenance, so a new 12.x gets RL202 too
    assert codes(f"FROM {RT}:12.13.0\n") == ["RL202", "RL209"]
    assert codes(f"FROM {AF3}:3.3-9\n") == ["RL209"]


def test_rl201_airflow2_form_of_an_airflow3_tag() -> None:
    finding = only(f"FROM {AF3}:3.1.13\n", "RL201")
    assert "did you mean '3.1-13'" in finding.message


def test_rl201_not_released_yet_as_of_day() -> None:
    finding = only(f"FROM {RT}:11.8.0\n", "RL201", as_of=date(2024, 7, 1))
    assert "not released yet" in finding.message


def test_rl201_quiet_for_known() -> None:
    assert "RL201" not in codes(f"FROM {RT}:13.11.0\n")


# RL202 / RL203 --------------------------------------------------------------------------------


def test_rl202_end_of_maintenance_with_unsafe_fix() -> None:
    finding = only(f"FROM {RT}:12.6.0-python-3.11\n", "RL202")
    assert "reached end of maintenance on 2026-02-28; basic support ends on 2027-02-28 (in 92 days)" in finding.message
    assert "upgrade to '13.11.0-python-3.11' (Airflow 2.11.2, maintained until 2027-04-30)" in finding.message
    assert finding.fix is not None and finding.fix.replacement == "13.11.0" and not finding.fix.safe


def test_rl202_last_day_of_the_month_is_still_maintained() -> None:
    assert "RL202" not in codes(f"FROM {RT}:11.8.0\n", as_of=date(2025, 10, 31))
    assert "RL202" in codes(f"FROM {RT}:11.8.0\n", as_of=date(2025, 11, 1))


def test_rl203_ending_soon_window() -> None:
    text = f"FROM {RT}:11.8.0\n"
    finding = only(text, "RL203", as_of=date(2025, 9, 1))
    assert "in 60 days" in finding.message
    assert "RL203" not in codes(text, as_of=date(2025, 7, 1))  # 122 days away
    assert "RL203" in codes(text, as_of=date(2025, 7, 1), warn_days=130)
    assert "RL203" not in codes(text, as_of=date(2025, 11, 1))  # ended: RL202's


# RL204 ----------------------------------------------------------------------------------------


def test_rl204_patch_not_latest_keeps_suffixes() -> None:
    finding = only(f"FROM {RT}:12.6.0-python-3.11-base\n", "RL204")
    assert "'12.12.0-python-3.11-base'" in finding.message
    assert finding.fix is not None and finding.fix.safe and finding.fix.replacement == "12.12.0"
    assert (finding.fix.span.column, finding.fix.span.end_column) == (39, 45)


def test_rl204_as_of_a_past_day() -> None:
    finding = only(f"FROM {RT}:9.1.0\n", "RL205", as_of=date(2023, 10, 1))
    assert "9.1.0" in finding.message
    assert only(f"FROM {RT}:9.7.0\n", "RL204", as_of=date(2024, 1, 15)).fix.replacement == "9.8.0"  # type: ignore[union-attr]


def test_rl204_support_line_was_per_minor_before_2023() -> None:
    # on 2022-06-01 Runtime 5.0.x was its own line: 5.0.3 was the newest of it
    assert "RL204" not in codes(f"FROM {RT}:5.0.3\n", as_of=date(2022, 6, 1))
    assert "RL204" in codes(f"FROM {RT}:4.0.5\n", as_of=date(2022, 6, 1))
    assert only(f"FROM {RT}:4.0.5\n", "RL204", as_of=date(2022, 6, 1)).fix.replacement == "4.0.11"  # type: ignore[union-attr]


def test_rl204_af3_line() -> None:
    finding = only(f"FROM {AF3}:3.0-4\n", "RL204")
    assert "3.0-18" in finding.message


def test_rl204_fix_edits_the_arg_default() -> None:
    text = f"ARG RUNTIME_VERSION=12.6.0\nFROM {RT}:${{RUNTIME_VERSION}}-base AS build\nFROM {RT}:${{RUNTIME_VERSION}}\n"
    found = [f for f in lint(text) if f.code == "RL204"]
    assert len(found) == 2
    for finding in found:
        assert finding.fix is not None
        assert (finding.fix.span.line, finding.fix.span.column, finding.fix.span.end_column) == (1, 21, 27)


def test_rl204_no_fix_when_version_is_built_from_pieces() -> None:
    text = f"ARG MAJOR=12\nFROM {RT}:${{MAJOR}}.6.0\n"
    finding = only(text, "RL204")
    assert finding.fix is None
    assert "12.12.0" in finding.message


def test_rl204_quiet_on_latest() -> None:
    assert codes(f"FROM {RT}:13.11.0\n") == []
    assert codes(f"FROM {AF3}:3.3-8\n") == []


# RL205 ----------------------------------------------------------------------------------------


def test_rl205_yanked_gives_reason_and_safe_fix() -> None:
    finding = only(f"FROM {RT}:11.0.0\n", "RL205", as_of=date(2024, 6, 1))
    assert "db migration issues" in finding.message
    assert finding.fix is not None and finding.fix.safe and finding.fix.replacement == "11.4.0"
    assert "RL204" not in codes(f"FROM {RT}:11.0.0\n", as_of=date(2024, 6, 1))


# RL206 ----------------------------------------------------------------------------------------


def test_rl206_python_variants_before_runtime_9() -> None:
    finding = only(f"FROM {RT}:8.10.0-python-3.10\n", "RL206", as_of=date(2023, 10, 20))
    assert "start with Runtime 9" in finding.message
    assert "'8.10.0'" in finding.message


def test_rl206_python_not_published() -> None:
    finding = only(f"FROM {RT}:9.0.0-python-3.12\n", "RL206", as_of=date(2023, 8, 20))
    assert "3.8, 3.9, 3.10, 3.11" in finding.message
    assert "RL206" not in codes(f"FROM {RT}:9.0.0-python-3.11\n", as_of=date(2023, 8, 20))


def test_rl206_unknown_python_variants_stay_quiet() -> None:
    assert CATALOG.get("3.0-1").python_versions is None  # type: ignore[union-attr]
    assert "RL206" not in codes(f"FROM {AF3}:3.0-1-python-3.13\n")


# RL3xx ----------------------------------------------------------------------------------------


def test_policy_rules_are_off_until_configured() -> None:
    text = f"FROM docker.io/library/python:3.12 AS x\nFROM {RT}:13.11.0\n"
    assert codes(text) == []
    assert codes(text, allowed_registries=["quay.io"]) == ["RL301"]
    assert codes(text, allowed_registries=["quay.io", "docker.io"]) == []
    assert codes(text, allowed_registries=["*.io"]) == []
    assert codes(text, allowed_registries=["quay*", "docker.io"]) == []


def test_rl302_channel_policy() -> None:
    text = f"FROM {RT}:10.9.0\n"
    assert "RL302" in codes(text, as_of=date(2024, 6, 20), required_channel="lts")
    assert "RL302" not in codes(f"FROM {RT}:9.17.0\n", as_of=date(2024, 7, 20), required_channel="LTS")
    # LTS is a subset of the Stable channel
    assert "RL302" not in codes(f"FROM {RT}:9.17.0\n", as_of=date(2024, 7, 20), required_channel="stable")
    assert "RL302" not in codes(text, as_of=date(2024, 6, 20), required_channel="stable")
    # the feed (2026-09-25) marks Runtime 9 deprecated: from the data's day on, it is not stable
    deprecated = only(f"FROM {RT}:9.17.0\n", "RL302", required_channel="stable")
    assert "deprecated" in deprecated.message
    # Runtime 12 and 13 are LTS lines, the Airflow 3 lines are not
    assert "RL302" not in codes(f"FROM {RT}:13.11.0\n", required_channel="lts")
    assert "Stable channel" in only(f"FROM {AF3}:3.3-8\n", "RL302", required_channel="lts").message


def test_rl302_unknown_channel_cannot_pass_an_lts_policy() -> None:
    finding = only(f"FROM {RT}:14.0.0\n", "RL302", required_channel="lts")
    assert "cannot tell" in finding.message and "catalog update" in finding.message


def test_rl303_minimum_version() -> None:
    assert "RL303" in codes(f"FROM {RT}:12.12.0\n", minimum_version="13.0.0")
    assert "RL303" not in codes(f"FROM {RT}:13.11.0\n", minimum_version="13.0.0")
    assert "RL303" not in codes(f"FROM {AF3}:3.0-14\n", minimum_version="13.0.0")


# Ignores and severities -----------------------------------------------------------------------


def test_inline_ignore_and_ignore_file() -> None:
    text = f"# runtime-lint: ignore=RL204 -- waiting for QA\nFROM {RT}:13.10.0\nFROM {RT}:13.10.0\n"
    assert [(f.code, f.span.line) for f in lint(text)] == [("RL204", 3)]
    assert codes("# runtime-lint: ignore-file\n" + text) == []
    assert codes(f"# runtime-lint: ignore-file=RL204\nFROM {RT}:13.10.0-base\n") == ["RL103"]
    assert len(lint(text, disable_inline_ignores=True)) == 2


def test_severity_override_and_fail_on_are_per_settings() -> None:
    finding = only(f"FROM {RT}:12.6.0\n", "RL204", severity={"RL204": "error"})
    assert finding.severity_name == "error"
    assert codes(f"FROM {RT}:12.6.0\n", severity={"RL2": "off"}) == []


def test_findings_are_sorted_by_position() -> None:
    text = f"FROM {RT}:12.6.0-base AS a\nFROM {RT}:v1\nFROM {RT}:12.6.0-base\n"
    found = lint(text)
    assert [f.span.line for f in found] == sorted(f.span.line for f in found)


# RL003 ----------------------------------------------------------------------------------------


def test_rl003_unused_suppressions() -> None:
    text = (
        "# runtime-lint: ignore=RL204,RL103 -- RL103 is not needed here\n"
        f"FROM {RT}:12.6.0\n"
        "# runtime-lint: ignore=RL204\n"
        "RUN echo this pragma is not above a FROM\n"
        f"FROM {RT}:13.11.0\n"
        "# runtime-lint: ignore-file=RL205\n"
    )
    found = [(f.span.line, f.message.split(" ")[0]) for f in lint(text) if f.code == "RL003"]
    assert found == [(1, "RL103"), (3, "RL204"), (6, "RL205")]
    assert only(text, "RL003", select=["RL003", "RL204"], ignore=[]).span.line == 3


def test_rl003_cannot_judge_rules_that_did_not_run() -> None:
    text = f"# runtime-lint: ignore=RL204\nFROM {RT}:13.11.0\n"
    assert "RL003" in codes(text)
    assert "RL003" not in codes(text, ignore=["RL204"])
    assert "RL003" not in codes(text, disable_inline_ignores=True)


def test_file_rules_honour_the_pragma_above_the_from_they_report() -> None:
    text = "# runtime-lint: ignore=RL106 -- a custom image, reviewed\nFROM python:3.12\n"
    assert codes(text, astro_project=True) == []
    text = "# runtime-lint: ignore=RL001 -- buildkit accepts it\nFROM img AS\n"
    assert codes(text) == []


def test_unused_suppression_waits_for_file_rules() -> None:
    text = "# runtime-lint: ignore-file=RL106 -- custom image\nFROM python:3.12\n"
    assert codes(text, astro_project=True) == []


def test_rl101_on_the_airflow3_pre_ga_repository_suggests_an_airflow3_release() -> None:
    finding = only("FROM air.astronomer.io/runtime\n", "RL101")
    assert finding.fix is not None and finding.fix.replacement == ":3.3-8"


def lint_with(catalog: catalog_mod.Catalog, text: str, as_of: date = AS_OF, **options: Any) -> list[Finding]:
    rules = all_rules()
    overrides: dict[str, Any] = {"as-of": as_of, "astro-project": False}
    overrides.update({key.replace("_", "-"): value for key, value in options.items()})
    settings = resolve(None, overrides, rules, "Dockerfile", AS_OF)
    return lint_text("Dockerfile", text, settings, catalog, rules).findings


def custom_catalog(change: Any) -> catalog_mod.Catalog:
    data = catalog_mod.to_json(CATALOG)
    for item in data["releases"]:
        change(item)
    return catalog_mod.from_json(data)


def test_rl202_upgrade_moves_to_the_default_python_when_the_variant_is_not_published() -> None:
    def drop_311(item: dict[str, Any]) -> None:
        if item["version"] == "13.11.0":
            item["python_versions"] = ["3.12"]

    found = lint_with(custom_catalog(drop_311), f"FROM {RT}:12.6.0-python-3.11-base\n")
    (finding,) = [f for f in found if f.code == "RL202"]
    assert "upgrade to '13.11.0-base'" in finding.message
    assert "not published for Python 3.11: the new tag runs its default Python (3.12)" in finding.message
    assert finding.fix is not None and not finding.fix.safe
    assert finding.fix.replacement == "13.11.0-base"  # the whole tag: what the message says
    assert finding.fix.description == "upgrade to 13.11.0-base"


def test_rl202_upgrade_keeps_other_suffixes_and_asks_to_check_them() -> None:
    finding = only(f"FROM {RT}:12.6.0-slim-python-3.12\n", "RL202")
    assert "'13.11.0-slim-python-3.12'" in finding.message
    assert "check that the -slim tag is published for 13.11.0" in finding.message


def test_rl202_airflow3_images_move_within_airflow3() -> None:
    finding = only(f"FROM {AF3}:3.0-18\n", "RL202", as_of=date(2027, 5, 1))
    assert "upgrade to '3.3-8' (Airflow 3.3.2, maintained until 2028-07-31)" in finding.message


def test_rl202_airflow2_stays_on_airflow2_and_says_when_that_ends() -> None:
    # 2027-05-01: Runtime 13, the last Airflow 2 line, is out of maintenance
    finding = only(f"FROM {RT}:13.11.0\n", "RL202", as_of=date(2027, 5, 1))
    assert finding.fix is None
    assert "no Airflow 2 line of Astro Runtime is maintained any more" in finding.message
    assert "Airflow 3" in finding.message


def test_rl207_replaces_rl202_and_rl202_returns_when_rl207_is_off() -> None:
    text = f"FROM {RT}:11.20.0\n"
    finding = only(text, "RL207")
    assert finding.severity_name == "error"
    assert "reached end of basic support on 2026-10-31 (maintenance ended on 2025-10-31)" in finding.message
    assert "upgrade to '13.11.0'" in finding.message
    assert finding.fix is not None and finding.fix.replacement == "13.11.0" and not finding.fix.safe
    assert "RL202" not in codes(text)
    assert "RL202" in codes(text, ignore=["RL207"])
    # a suppressed RL207 does not hide RL202 either
    assert "RL202" in codes(f"# runtime-lint: ignore=RL207 -- migrating in Q1\n{text}")
    # one finding per image: the other image keeps its own
    assert codes(f"FROM {RT}:11.20.0 AS old\nFROM {RT}:12.12.0\n") == ["RL207", "RL202"]


def test_rl207_from_the_day_after_the_end_of_basic_support() -> None:
    text = f"FROM {RT}:12.12.0\n"
    assert "RL207" not in codes(text, as_of=date(2027, 2, 28))
    assert codes(text, as_of=date(2027, 3, 1)) == ["RL207"]


def test_rl203_warns_before_either_date() -> None:
    text = f"FROM {RT}:13.11.0\n"
    before = only(text, "RL203", as_of=date(2027, 3, 1))
    assert "ends maintenance on 2027-04-30 (in 60 days); basic support goes on until 2027-11-30" in before.message
    # after the end of maintenance RL202 is reported, and it says when basic support ends
    assert codes(f"FROM {RT}:12.12.0\n", as_of=date(2027, 1, 1)) == ["RL202"]
    assert "RL203" in codes(f"FROM {RT}:12.12.0\n", as_of=date(2027, 1, 1), ignore=["RL202"])
    basic = only(f"FROM {RT}:12.12.0\n", "RL203", as_of=date(2027, 1, 1), ignore=["RL202"])
    assert "ends basic support on 2027-02-28 (in 58 days); maintenance ended on 2026-02-28" in basic.message
    assert "RL203" not in codes(f"FROM {RT}:12.12.0\n", as_of=date(2026, 6, 1), ignore=["RL202"])  # 272 days


def test_rl208_a_line_without_known_dates() -> None:
    def forget_13(item: dict[str, Any]) -> None:
        if item["line"] == "13":
            item["end_of_maintenance"] = item["end_of_basic_support"] = None

    found = lint_with(custom_catalog(forget_13), f"FROM {RT}:13.11.0\n")
    assert [f.code for f in found] == ["RL208"]
    assert found[0].severity_name == "info"
    assert "does not know when maintenance of Runtime 13 ends" in found[0].message
    assert "catalog update" in found[0].message
    assert "RL208" not in codes(f"FROM {RT}:13.11.0\n")  # the bundled data knows


def test_an_uncertain_release_is_linted_not_unknown() -> None:
    # 12.8.0 has no known release date; on 2025-01-01 it may or may not have been out
    assert CATALOG.exists(CATALOG.get("12.8.0"), date(2025, 1, 1)) is None  # type: ignore[arg-type]
    assert "RL201" not in codes(f"FROM {RT}:12.8.0\n", as_of=date(2025, 1, 1))
    # ... and before the newest dated release before it, it was surely not out
    assert "RL201" in codes(f"FROM {RT}:12.8.0\n", as_of=date(2024, 8, 1))


def test_airflow2_tags_on_the_airflow3_registry_domain() -> None:
    image = "astrocrpublic.azurecr.io/astronomer/astro-runtime"
    assert codes(f"FROM {image}:13.11.0-base\n") == ["RL103"]
    assert "RL204" in codes(f"FROM {image}:13.10.0\n")


def test_rl104_undeclared_variable_with_a_default_warns_that_a_build_arg_is_not_used() -> None:
    # BuildKit's lexer records V as unmatched though the default stands in: UndefinedArgInFrom; and
    # `--build-arg V=...` is not used, as V is not declared (dockerfile2llb/convert.go buildMetaArgs)
    text = f"FROM {RT}:${{V:-13.11.0}}\n"
    finding = only(text, "RL104")
    assert finding.message == (
        "V is not declared by an ARG before the first FROM: BuildKit uses the default the FROM gives it, "
        "and a --build-arg V=... is not used (UndefinedArgInFrom); declare 'ARG V=...' before the first FROM"
    )
    assert codes(f"ARG V\n{text}") == []
    assert [f.code for f in lint(text, build_args={"V": "12.6.0"})] == ["RL104"]  # still 13.11.0


def test_rl104_undeclared_variable_in_a_word_not_used_warns_as_buildkit_does() -> None:
    # shell/lex.go processDollar lexes `$FALLBACK` before it finds RUNTIME set: UndefinedArgInFrom
    text = f"ARG RUNTIME=13.11.0\nFROM {RT}:${{RUNTIME:-$FALLBACK}}\n"
    finding = only(text, "RL104")
    assert finding.message == (
        "FALLBACK is not declared by an ARG before the first FROM: BuildKit warns about it (UndefinedArgInFrom), "
        "though the image name does not use the part that has it; declare 'ARG FALLBACK=...' before the first "
        "FROM, or remove it"
    )
    assert finding.span.line == 2
    assert codes(f"ARG FALLBACK\n{text}") == []
    assert codes(f"ARG RUNTIME=13.11.0\nFROM {RT}:${{RUNTIME:-13.11.0}}\n") == []
    # BuildKit suggests a declared name close to it, V here
    assert (
        "W is not declared by an ARG before the first FROM (did you mean V?)"
        in only(f"ARG V=13.11.0\nFROM {RT}:${{V:-$W}}\n", "RL104").message
    )


def test_rl104_undeclared_args_need_an_arg_line_not_a_build_arg() -> None:
    finding = only(f"FROM {RT}:${{V}}\n", "RL104")
    assert "declare 'ARG V=...' before the first FROM" in finding.message
    assert "--build-arg" not in finding.message


def test_rl103_follows_the_final_stage_to_the_image_it_builds_on() -> None:
    text = f"FROM {RT}:13.11.0-base AS rt\nRUN echo customise\nFROM rt\n"
    finding = only(text, "RL103")
    assert finding.span.line == 1


def test_rl301_empty_allow_list() -> None:
    finding = only(f"FROM {RT}:13.11.0\n", "RL301", select=["RL301"], allowed_registries=[])
    assert "allowed-registries (it is empty)" in finding.message


@pytest.mark.parametrize(
    ("image", "why"),
    [
        ("quay.io/Astronomer/astro-runtime:13.11.0", "must be lower case"),
        (f"{RT}@sha256:abc", "invalid digest"),
        ("img:a/b", "invalid registry"),
    ],
)
def test_rl001_invalid_image_references(image: str, why: str) -> None:
    finding = only(f"FROM {image}\n", "RL001")
    assert why in finding.message and image in finding.message


@pytest.mark.parametrize(
    ("text", "hint"),
    [  # BuildKit keeps stage names in lower case and looks a FROM name up as written
        # (dockerfile2llb/convert.go addState): `FROM Build` is an image name, and an invalid one
        (f"FROM {RT}:13.11.0 AS Build\nFROM Build\n", "stage 'Build' (line 1) is known as 'build'"),
        (f"FROM {RT}:13.11.0 AS build\nFROM BUILD\n", "stage 'build' (line 1) is known as 'build'"),
        (f"ARG S=Build\nFROM {RT}:13.11.0 AS build\nFROM $S\n", "stage 'build' (line 2) is known as 'build'"),
    ],
)
def test_rl001_a_stage_named_in_another_case_says_how_from_finds_it(text: str, hint: str) -> None:
    finding = only(text, "RL001")
    assert "must be lower case" in finding.message
    assert hint in finding.message
    assert "FROM finds a stage only by that name" in finding.message


def test_rl001_no_stage_hint_without_such_a_stage() -> None:
    assert "stage" not in only(f"FROM {RT}:13.11.0 AS base\nFROM Build\n", "RL001").message
    assert codes(f"FROM {RT}:13.11.0 AS Build\nFROM build\n") == []  # the stage it names
