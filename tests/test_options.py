"""Rules own their options: defaults, checks and one-line errors come from `Option`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli, write

from runtime_lint.checks import OFF, REGISTRY, VERSION, WARNING, Context, Hit, Image, Option, Rule, all_rules, rule
from runtime_lint.config import DEFAULTS, SETTINGS, Config, option_table, resolve
from runtime_lint.model import UsageError

AS_OF = date(2026, 11, 28)
BUILTIN_OPTIONS = {
    "RL103": ["flavor"],
    "RL203": ["warn-days"],
    "RL301": ["allowed-registries"],
    "RL302": ["required-channel"],
    "RL303": ["minimum-version"],
}


def settings_for(values: dict[str, Any], rules: dict[str, Any] | None = None) -> Any:
    config = Config("/proj/.runtime-lint.toml", "/proj", values)
    return resolve(config, {}, rules if rules is not None else all_rules(), "Dockerfile", AS_OF)


def test_defaults_come_from_the_options() -> None:
    options = settings_for({}).options
    assert options["warn-days"] == 90 == all_rules()["RL203"].options["warn-days"].default
    assert options["flavor"] == "non-base"
    assert options["catalog-max-age"] == 45 == SETTINGS["catalog-max-age"].default
    assert options["allowed-registries"] is None
    assert DEFAULTS["warn-days"] == 90 and DEFAULTS["fail-on"] == "warning"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"warn-days": "ninety"}, "warn-days must be a whole number of days, got 'ninety'"),
        ({"warn-days": True}, "warn-days must be a whole number of days, got True"),
        ({"warn-days": -1}, "warn-days must be a whole number of days, got -1"),
        ({"catalog-max-age": -5}, "catalog-max-age must be a whole number of days, got -5"),
        ({"flavor": "slim"}, "flavor must be one of non-base, base, any, got 'slim'"),
        ({"fail-on": "sometimes"}, "fail-on must be one of error, warning, info, never, got 'sometimes'"),
        ({"required-channel": "nightly"}, "required-channel must be 'stable' or 'lts', got 'nightly'"),
        ({"minimum-version": "twelve"}, "minimum-version must be X.Y.Z or X.Y-N, got 'twelve'"),
        ({"allowed-registries": [1]}, "allowed-registries must be a list of strings"),
        ({"astro-project": "yes"}, "astro-project must be true or false, got 'yes'"),
        ({"as-of": "yesterday"}, "as-of must be a date YYYY-MM-DD, got 'yesterday'"),
        ({"feed-url": " "}, "feed-url must be a URL string, got ' '"),
        ({"per-file-ignores": []}, "per-file-ignores must be a table of glob = [codes], got []"),
    ],
)
def test_a_bad_value_names_the_file_and_the_key(values: dict[str, Any], message: str) -> None:
    with pytest.raises(UsageError) as caught:
        settings_for(values)
    assert str(caught.value) == f"config /proj/.runtime-lint.toml: {message}"


def test_values_are_normalised() -> None:
    options = settings_for(
        {"allowed-registries": "quay.io, ghcr.io", "required-channel": "LTS", "feed-url": " https://x.example "}
    ).options
    assert options["allowed-registries"] == ["quay.io", "ghcr.io"]
    assert options["required-channel"] == "LTS"  # choices ignore case; the rule lowers it
    assert options["feed-url"] == "https://x.example"


def test_a_minimum_other_than_zero_is_said() -> None:
    option = Option(int, 3, minimum=2, unit="days")
    assert option.check(2, "k", "here") == 2
    with pytest.raises(UsageError, match=r"^here: k must be a whole number of days, at least 2, got 1$"):
        option.check(1, "k", "here")


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(TypeError):
        Option(float, 1.0)


@pytest.mark.parametrize("code", sorted(BUILTIN_OPTIONS))
def test_the_rule_book_lists_each_rules_options(code: str) -> None:
    r = all_rules()[code]
    assert list(r.options) == BUILTIN_OPTIONS[code]
    assert r.settings == tuple(BUILTIN_OPTIONS[code])  # `settings` derives from the options
    assert all(option.help for option in r.options.values())


def test_only_these_builtin_rules_have_options() -> None:
    owners = {code: list(r.options) for code, r in all_rules().items() if r.options}
    assert owners == BUILTIN_OPTIONS


def test_rules_json_lists_the_settings(cli: Cli, tmp_path: Path) -> None:
    result = cli("rules", "--format", "json", cwd=tmp_path)
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    rules = doc if isinstance(doc, list) else doc["rules"]
    by_code = {r["code"]: r for r in rules}
    for code, keys in BUILTIN_OPTIONS.items():
        assert by_code[code]["settings"] == keys


@pytest.fixture
def plugin_rule() -> Iterator[str]:
    @rule(
        "RL901",
        "too-many-stages",
        OFF,
        "The file has more stages than max-stages",
        scope="file",
        options={
            "max-stages": Option(int, None, minimum=1, help="the most FROM lines a file may have"),
            "stage-kind": Option(str, "any", choices=("any", "named"), help="which stages count"),
        },
    )
    def too_many_stages(image: Image | None, ctx: Context) -> Iterator[Hit]:
        yield from ()

    yield "RL901"
    del REGISTRY["RL901"]


def test_a_plugin_rule_registers_its_own_options(plugin_rule: str) -> None:
    rules = {**all_rules()}
    assert rules[plugin_rule].settings == ("max-stages", "stage-kind")
    unset = settings_for({}, rules)
    assert unset.options["max-stages"] is None and unset.options["stage-kind"] == "any"
    assert plugin_rule not in unset.severities  # off until its options are set
    on = settings_for({"max-stages": 3, "stage-kind": "named"}, rules)
    assert on.options["max-stages"] == 3
    assert on.severities[plugin_rule] == WARNING
    with pytest.raises(UsageError, match=r"max-stages must be a whole number, at least 1, got 0$"):
        settings_for({"max-stages": 0}, rules)
    with pytest.raises(UsageError, match=r"stage-kind must be 'any' or 'named', got 'all'$"):
        settings_for({"stage-kind": "all"}, rules)


def test_a_plugin_option_is_a_known_config_key(plugin_rule: str, cli: Cli, tmp_path: Path) -> None:
    from runtime_lint.config import read_config

    write(tmp_path / ".runtime-lint.toml", "max-stages = 2\n")
    config = read_config(str(tmp_path / ".runtime-lint.toml"))
    assert config is not None and config.values == {"max-stages": 2}


def test_rules_may_share_an_option_declared_alike(plugin_rule: str) -> None:
    same = Option(int, 90, minimum=0, unit="days")
    assert option_table([*all_rules().values()])["warn-days"].same_as(same)
    with pytest.raises(UsageError, match="declares option 'max-stages' unlike rule RL901"):

        @rule("RL902", "other", OFF, "x", options={"max-stages": Option(int, 5)})
        def other(image: Image, ctx: Context) -> Iterator[Hit]:
            yield from ()

    assert "RL902" not in REGISTRY


def test_a_rule_option_may_not_redefine_a_setting() -> None:

    def never(image: object, ctx: object) -> Iterator[Hit]:
        yield from ()

    fake = Rule("RL999", "fake", OFF, "a test rule", never, "image", (), "", options={"fail-on": Option(int, 1)})
    with pytest.raises(UsageError, match="RL999 declares option 'fail-on' unlike an existing setting"):
        option_table([fake])


def test_version_kind_checks_runtime_versions() -> None:
    option = Option(VERSION)
    assert option.check("12.0.0", "v", "w") == "12.0.0"
    assert option.check("3.0-4", "v", "w") == "3.0-4"
    with pytest.raises(UsageError):
        option.check(12, "v", "w")
