"""Settings: `[tool.runtime-lint]` in pyproject.toml or a `.runtime-lint.toml`, merged with flags.

Discovery is ruff's: for each linted file, the nearest folder upwards holding `.runtime-lint.toml`,
or a `pyproject.toml` with a `[tool.runtime-lint]` table, gives its settings (`.runtime-lint.toml`
wins in the same folder); `--config FILE` uses one file for everything. Flags win over files.
Every key, rule code and value is checked: anything unknown is a UsageError (exit 2) naming it.
"""

from __future__ import annotations

import os
import sys

from runtime_lint.model import SEVERITY_BY_NAME, UsageError, date

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

    from runtime_lint.checks import Rule

CONFIG_NAMES = (".runtime-lint.toml", "pyproject.toml")
# `[tool.runtime-lint]`, `[tool."runtime-lint".severity]`, `runtime-lint = {...}` under [tool], but
# not `"runtime-lint>=0.1"` in a dependency list.
_MENTIONS_TABLE = rb"""runtime-lint["']?\s*[\].=]"""
MAX_CONFIG_BYTES = 4 * 1024 * 1024
FEED_URL = "https://updates.astronomer.io/astronomer-runtime"

DEFAULTS: dict[str, Any] = {
    "select": None,  # None: every rule that is on by default
    "extend-select": [],
    "ignore": [],
    "per-file-ignores": {},
    "severity": {},
    "fail-on": "warning",
    "as-of": None,  # None: today
    "flavor": "non-base",
    "warn-days": 90,
    "allowed-registries": None,
    "runtime-registries": [],
    "required-channel": None,
    "minimum-version": None,
    "catalog": None,
    "catalog-max-age": 45,
    "feed-url": FEED_URL,
    "astro-project": None,  # None: detect (.astro/ beside the Dockerfile)
    "disable-inline-ignores": False,
}
FAIL_ON = ("error", "warning", "info", "never")
FLAVORS = ("non-base", "base", "any")
CHANNELS = ("stable", "lts")


class Config:
    """The raw settings from one file (or none), before flags."""

    __slots__ = ("path", "root", "values")

    def __init__(self, path: str | None, root: str, values: dict[str, Any]) -> None:
        self.path = path
        self.root = root  # per-file-ignores and relative paths are relative to this
        self.values = values


class Settings:
    """The settings for one file: which rules run, at which severity, and their options."""

    __slots__ = ("as_of", "astro_project", "catalog", "config_path", "fail_on", "options", "severities")

    def __init__(self) -> None:
        self.severities: dict[str, int] = {}  # enabled rules -> severity
        self.fail_on = 2
        self.as_of = date.today()
        self.options: dict[str, Any] = {}
        self.catalog: str | None = None
        self.astro_project: bool | None = None
        self.config_path: str | None = None


def read_config(path: str, explicit: bool = False) -> Config | None:
    """Read one config file; None for a pyproject.toml without `[tool.runtime-lint]`."""
    from runtime_lint.files import FileError, read_regular

    try:
        raw = read_regular(path, MAX_CONFIG_BYTES, "config file")
    except FileError as exc:
        raise UsageError(f"config {path}: cannot read: {exc}") from None
    pyproject = os.path.basename(path) == "pyproject.toml"
    if pyproject and not explicit and not _mentions_table(raw):
        return None  # most pyproject.toml files are not ours (or name runtime-lint as a dependency): skip TOML
    data = _parse_toml(path, raw)
    if pyproject:
        tool = data.get("tool", {})
        if not isinstance(tool, dict) or "runtime-lint" not in tool:
            if explicit:
                raise UsageError(f"config {path}: has no [tool.runtime-lint] table")
            return None
        data = tool["runtime-lint"]
        if not isinstance(data, dict):
            raise UsageError(f"config {path}: [tool.runtime-lint] must be a table")
    unknown = sorted(set(data) - set(DEFAULTS))
    if unknown:
        raise UsageError(f"config {path}: unknown key(s): {', '.join(unknown)}")
    return Config(os.path.abspath(path), os.path.dirname(os.path.abspath(path)), data)


def _mentions_table(raw: bytes) -> bool:
    """Whether a pyproject.toml may hold runtime-lint settings (`re` only when it names us at all:
    importing it costs more than a lint run)."""
    if b"runtime-lint" not in raw:
        return False
    import re

    return re.search(_MENTIONS_TABLE, raw) is not None


def _parse_toml(path: str, raw: bytes) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"config {path}: not UTF-8 text") from None
    try:
        data: dict[str, Any] = tomllib.loads(text)
        return data
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"config {path}: invalid TOML: {exc}") from None
    except RecursionError:
        raise UsageError(f"config {path}: invalid TOML: nested too deeply") from None


class Finder:
    """Nearest config for each folder, cached for the run."""

    def __init__(self, explicit: str | None) -> None:
        self.explicit = read_config(explicit, explicit=True) if explicit else None
        self.cache: dict[str, Config | None] = {}  # by absolute folder
        self.given: dict[str, Config | None] = {}  # by folder as the path names it

    def for_file(self, path: str) -> Config | None:
        if self.explicit is not None:
            return self.explicit
        given = os.path.dirname(path)
        if given in self.given:
            return self.given[given]
        found = self.given[given] = self._for_folder(os.path.abspath(given or "."))
        return found

    def _for_folder(self, folder: str) -> Config | None:
        seen: list[str] = []
        found: Config | None = None
        while True:
            if folder in self.cache:
                found = self.cache[folder]
                break
            seen.append(folder)
            found = self._in_folder(folder)
            if found is not None:
                break
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
        for folder in seen:
            self.cache[folder] = found
        return found

    @staticmethod
    def _in_folder(folder: str) -> Config | None:
        for name in CONFIG_NAMES:
            candidate = os.path.join(folder, name)
            # access() answers "no such file" without raising: the usual answer, in half the time
            if os.access(candidate, os.F_OK) and os.path.isfile(candidate):
                config = read_config(candidate)
                if config is not None:
                    return config
        return None


def expand_selectors(selectors: Iterable[str], rules: dict[str, Rule], where: str) -> set[str]:
    """`ALL`, a code, a code prefix (`RL2`) or a rule name to the set of codes it means."""
    codes: set[str] = set()
    names = {r.name: code for code, r in rules.items()}
    for selector in selectors:
        if not isinstance(selector, str):
            raise UsageError(f"{where}: rule selectors must be strings, got {selector!r}")
        key = selector.strip()
        upper = key.upper()
        if upper == "ALL":
            codes.update(rules)
        elif upper in rules:
            codes.add(upper)
        elif key in names:
            codes.add(names[key])
        else:
            matched = {code for code in rules if code.startswith(upper)} if upper[:1].isalpha() else set()
            if not matched:
                raise UsageError(f"{where}: unknown rule code or name '{selector}'")
            codes.update(matched)
    return codes


def _list(value: Any, key: str, where: str) -> list[str]:
    if isinstance(value, str):
        value = [v for v in value.split(",") if v.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UsageError(f"{where}: {key} must be a list of strings")
    return [v.strip() for v in value]


def parse_day(value: Any, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise UsageError(f"{where}: as-of must be a date YYYY-MM-DD, got '{value}'") from None


def resolve(
    config: Config | None,
    overrides: dict[str, Any],
    rules: dict[str, Rule],
    path: str,
    today: date,
) -> Settings:
    """The settings for the file at `path`: defaults, then the config file, then the flags."""
    where = f"config {config.path}" if config is not None and config.path else "settings"
    values = dict(DEFAULTS)
    if config is not None:
        values.update(config.values)
    file_select = values["select"]
    file_extend = _list(values["extend-select"], "extend-select", where)
    file_ignore = _list(values["ignore"], "ignore", where)
    for key, value in overrides.items():
        if key not in ("select", "extend-select", "ignore"):
            values[key] = value
    cli = "command line"
    settings = Settings()
    settings.config_path = config.path if config is not None else None
    options = settings.options

    fail_on = values["fail-on"]
    if fail_on not in FAIL_ON:
        raise UsageError(f"{where}: fail-on must be one of {', '.join(FAIL_ON)}, got '{fail_on}'")
    settings.fail_on = SEVERITY_BY_NAME.get(fail_on, 99)
    settings.as_of = parse_day(values["as-of"], where) if values["as-of"] is not None else today
    flavor = values["flavor"]
    if flavor not in FLAVORS:
        raise UsageError(f"{where}: flavor must be one of {', '.join(FLAVORS)}, got '{flavor}'")
    options["flavor"] = flavor
    for key in ("warn-days", "catalog-max-age"):
        number = values[key]
        if not isinstance(number, int) or isinstance(number, bool) or number < 0:
            raise UsageError(f"{where}: {key} must be a whole number of days, got {number!r}")
        options[key] = number
    allowed = values["allowed-registries"]
    options["allowed-registries"] = _list(allowed, "allowed-registries", where) if allowed is not None else None
    options["runtime-registries"] = _list(values["runtime-registries"], "runtime-registries", where)
    channel = values["required-channel"]
    if channel is not None and (not isinstance(channel, str) or channel.lower() not in CHANNELS):
        raise UsageError(f"{where}: required-channel must be 'stable' or 'lts', got {channel!r}")
    options["required-channel"] = channel
    minimum = values["minimum-version"]
    if minimum is not None:
        from runtime_lint.image import TagError, version_key

        try:
            version_key(str(minimum))
        except TagError:
            raise UsageError(f"{where}: minimum-version must be X.Y.Z or X.Y-N, got {minimum!r}") from None
    options["minimum-version"] = minimum
    options["feed-url"] = values["feed-url"]
    catalog = values["catalog"]
    if catalog is not None and config is not None and "catalog" not in overrides:
        catalog = os.path.join(config.root, str(catalog))
    settings.catalog = catalog
    astro = values["astro-project"]
    if astro is not None and not isinstance(astro, bool):
        raise UsageError(f"{where}: astro-project must be true or false")
    settings.astro_project = astro
    if not isinstance(values["disable-inline-ignores"], bool):
        raise UsageError(f"{where}: disable-inline-ignores must be true or false")
    options["disable-inline-ignores"] = values["disable-inline-ignores"]

    # Which rules run: the defaults, then the file's select/extend-select/ignore, then the flags'.
    if file_select is not None:
        selected = expand_selectors(_list(file_select, "select", where), rules, where)
    else:
        selected = {code for code, r in rules.items() if r.severity}
        # An off-by-default policy rule runs once its setting is given.
        selected |= {
            code
            for code, r in rules.items()
            if not r.severity and r.settings and all(options.get(s) for s in r.settings)
        }
    selected |= expand_selectors(file_extend, rules, where)
    selected -= expand_selectors(file_ignore, rules, where)
    if "select" in overrides:
        selected = expand_selectors(overrides["select"], rules, cli)
    selected |= expand_selectors(overrides.get("extend-select", ()), rules, cli)
    selected -= expand_selectors(overrides.get("ignore", ()), rules, cli)
    pfi = values["per-file-ignores"]
    if not isinstance(pfi, dict):
        raise UsageError(f"{where}: per-file-ignores must be a table of glob = [codes]")
    root = config.root if config is not None else os.getcwd()
    for pattern, codes in pfi.items():
        ignored = expand_selectors(_list(codes, f"per-file-ignores '{pattern}'", where), rules, where)
        if matches(pattern, path, root):
            selected -= ignored
    severity_overrides = values["severity"]
    if not isinstance(severity_overrides, dict):
        raise UsageError(f'{where}: severity must be a table of CODE = "error|warning|info|off"')
    levels: dict[str, int] = {}
    for selector, level in severity_overrides.items():
        if level not in ("error", "warning", "info", "off"):
            raise UsageError(f"{where}: severity of {selector} must be error, warning, info or off, got {level!r}")
        for code in expand_selectors([selector], rules, where):
            levels[code] = SEVERITY_BY_NAME.get(level, 0)
    for code in sorted(selected):
        rule = rules[code]
        for setting in rule.settings:
            if options.get(setting) is None:
                raise UsageError(f"{where}: {code} {rule.name} is selected but needs the '{setting}' setting")
        level = levels.get(code, rule.severity or 2)
        if level:
            settings.severities[code] = level
    return settings


def matches(pattern: str, path: str, root: str) -> bool:
    """Does a per-file-ignores glob match `path`? Tried on the path relative to `root` and on
    the file name (`**/` matches any number of folders, also none)."""
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute, root).replace(os.sep, "/")
    name = os.path.basename(absolute)
    pattern = pattern.replace(os.sep, "/")
    candidates = {pattern}
    if pattern.startswith("**/"):
        candidates.add(pattern[3:])
    import fnmatch  # imports `re`: only runs that use per-file-ignores pay for it

    return any(fnmatch.fnmatchcase(relative, p) or fnmatch.fnmatchcase(name, p) for p in candidates)
