"""Settings: `[tool.runtime-lint]` in pyproject.toml or a `.runtime-lint.toml`, merged with flags.

Discovery is ruff's: for each linted file, the nearest folder upwards holding `.runtime-lint.toml`,
or a `pyproject.toml` with a `[tool.runtime-lint]` table, gives its settings (`.runtime-lint.toml`
wins in the same folder); `--config FILE` uses one file for everything. Flags win over files.
Every key, rule code and value is checked: anything unknown is a UsageError (exit 2) naming it.
A file may `extend = "../base.toml"` another (ruff's inheritance): the extending file wins key by
key, tables merge, lists replace. A TOML error in a file that is ours is one line, path:line:col.
"""

from __future__ import annotations

import os
import sys

from runtime_lint.checks import OFF
from runtime_lint.config_cache import MISS, cache_get, cache_put
from runtime_lint.model import ERROR, SEVERITY_BY_NAME, WARNING, UsageError, date
from runtime_lint.options import DATE, URL, Option, as_date, as_list

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

    from runtime_lint.checks import Rule

CONFIG_NAMES = (".runtime-lint.toml", "pyproject.toml")
# A pyproject.toml that never names us is not parsed (nor reported when broken): it is not ours.
_OUR_NAMES = (b"runtime-lint", b"runtime_lint", b"runtimelint")  # each near spelling holds one of these
# Near spellings of `runtime-lint` under [tool]: not read, so an error rather than settings silently dropped
_NEAR_NAMES = ("runtime_lint", "runtimelint", "runtime-linter", "runtime_linter", "runtimelinter")
MAX_EXTEND_DEPTH = 32  # a chain of `extend`s longer than this is refused (cycles are caught first)
MAX_CONFIG_BYTES = 4 * 1024 * 1024
FEED_URL = "https://updates.astronomer.io/astronomer-runtime"

# The settings that belong to no rule; each rule owns its options (`@rule(..., options=...)`).
SETTINGS: dict[str, Option] = {
    "extend": Option(str, None, help="a config file to inherit settings from, relative to this file"),
    "select": Option(list, None),  # None: every rule that is on by default
    "extend-select": Option(list, []),
    "ignore": Option(list, []),
    "per-file-ignores": Option(dict, {}, expects="a table of glob = [codes]"),
    "severity": Option(dict, {}, expects='a table of CODE = "error|warning|info|off"'),
    "fail-on": Option(str, "warning", choices=("error", "warning", "info", "never")),
    "as-of": Option(DATE, None),  # None: today
    "runtime-registries": Option(list, [], help="mirrors of the Runtime images"),
    "catalog": Option(str, None, help="a catalog file, relative to the config file"),
    "catalog-max-age": Option(int, 45, minimum=0, unit="days", help="days before a note suggests `catalog update`"),
    "feed-url": Option(URL, FEED_URL, help="where `catalog update` downloads release data"),
    "astro-project": Option(bool, None),  # None: detect (.astro/ beside the Dockerfile)
    "disable-inline-ignores": Option(bool, False),
}
SELECTION = ("select", "extend-select", "ignore")  # a flag adds to the file's, not replaces it
LEVELS = ("error", "warning", "info", "off")
NEVER = ERROR + 1  # fail-on = "never": no finding is that severe
FAIL_ON = SETTINGS["fail-on"].choices


def option_table(rules: Iterable[Rule]) -> dict[str, Option]:
    """Every setting: config's own, then the rules' options (a rule may not redefine a setting)."""
    table = dict(SETTINGS)
    for r in rules:
        for key, option in r.options.items():
            known = table.get(key)
            if known is not None and not option.same_as(known):
                raise UsageError(f"rule {r.code} declares option '{key}' unlike an existing setting")
            table[key] = option
    return table


def _builtin_defaults() -> dict[str, Any]:
    from runtime_lint.checks import BUILTIN_MODULES, REGISTRY

    for module in BUILTIN_MODULES:
        __import__(module)
    return {key: option.default for key, option in option_table(REGISTRY.values()).items()}


# Every key's default: config's settings and the built-in rules' options (plugins add their own).
DEFAULTS: dict[str, Any] = _builtin_defaults()


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
        self.fail_on = WARNING
        self.as_of = date.today()
        self.options: dict[str, Any] = {}
        self.catalog: str | None = None
        self.astro_project: bool | None = None
        self.config_path: str | None = None


def read_config(path: str, explicit: bool = False) -> Config | None:
    """Read one config file and the files it extends; None for a pyproject.toml without
    `[tool.runtime-lint]`."""
    absolute = os.path.abspath(path)
    own = _read_own(path, explicit, None)
    if own is None:
        return None
    values = _with_bases(path, own, [], [])
    return Config(absolute, os.path.dirname(absolute), values)


def _read_own(path: str, explicit: bool, extended_by: str | None) -> dict[str, Any] | None:
    """One file's own settings (its `extend` too), keys checked; cached by the file's bytes."""
    from runtime_lint.files import FileError, read_regular

    try:
        raw = read_regular(path, MAX_CONFIG_BYTES, "config file")
    except FileError as exc:
        if extended_by is not None:
            raise UsageError(f"config {_shown(extended_by)}: extend: {_shown(path)}: cannot read: {exc}") from None
        raise UsageError(f"config {path}: cannot read: {exc}") from None
    key = f"{os.path.abspath(path)}\0{explicit}"
    hit = cache_get(key, raw)
    if hit is MISS:
        found = _our_table(path, raw, explicit)
        cache_put(key, raw, found)
    else:
        found = hit
    if found is None:
        return None
    data: dict[str, Any] = found
    unknown = sorted(set(data) - set(known_keys()))
    if unknown:
        raise UsageError(f"config {path}: unknown key(s): {', '.join(unknown)}")
    return data


def _with_bases(path: str, own: dict[str, Any], chain: list[str], paths: list[str]) -> dict[str, Any]:
    """A file's settings over those of the files it extends, recursively. `chain` holds the real
    paths of the files that extend this one (a cycle check), `paths` the same files as named."""
    ref = own.get("extend")
    values = {key: value for key, value in own.items() if key != "extend"}
    if ref is None:
        return values
    if not isinstance(ref, str) or not ref.strip():
        raise UsageError(f"config {path}: extend must be a path to a config file, got {ref!r}")
    real = os.path.realpath(path)  # only for files that extend: symlinks must not hide a cycle
    chain = [*chain, real]
    paths = [*paths, path]
    base = os.path.join(os.path.dirname(os.path.abspath(path)), os.path.expanduser(ref.strip()))
    base_real = os.path.realpath(base)
    if base_real in chain:
        cycle = " -> ".join(_shown(p) for p in [*paths[chain.index(base_real) :], base])
        raise UsageError(f"config {_shown(path)}: extend cycle: {cycle}")
    if len(chain) >= MAX_EXTEND_DEPTH:
        raise UsageError(f"config {_shown(path)}: extend: more than {MAX_EXTEND_DEPTH} files in the chain")
    found = _read_own(base, True, path)
    if found is None:  # not reached: an explicit read raises instead
        raise UsageError(f"config {_shown(base)}: has no [tool.runtime-lint] table")
    catalog = found.get("catalog")
    if isinstance(catalog, str):  # a path in the base is relative to the base, not to who extends it
        found = dict(found)
        found["catalog"] = os.path.join(os.path.dirname(os.path.abspath(base)), catalog)
    return merge_tables(_with_bases(base, found, chain, paths), values)


def merge_tables(base: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    """`own` over `base`, key by key: tables merge recursively, anything else (lists too) replaces.
    `own`'s keys come last, so that a `[severity]` selector of the extending file is applied after
    the base's."""
    merged = {key: value for key, value in base.items() if key not in own}
    for key, value in own.items():
        old = base.get(key)
        merged[key] = merge_tables(old, value) if isinstance(old, dict) and isinstance(value, dict) else value
    return merged


def _shown(path: str) -> str:
    """A config file's path for a message: relative to the working folder when inside it."""
    from runtime_lint.files import relative_inside

    absolute = os.path.abspath(path)
    relative = relative_inside(absolute, os.getcwd())
    return absolute if relative is None else relative


def _our_table(path: str, raw: bytes, explicit: bool) -> dict[str, Any] | None:
    """runtime-lint's settings in a config file's text; None for a pyproject.toml without them."""
    pyproject = os.path.basename(path) == "pyproject.toml"
    if pyproject and not explicit and not any(name in raw for name in _OUR_NAMES):
        return None  # most pyproject.toml files are not ours: skip TOML, and their TOML errors
    data = _parse_toml(path, raw)
    if not pyproject:
        return data
    tool = data.get("tool", {})
    near = next((name for name in tool if name in _NEAR_NAMES), None) if isinstance(tool, dict) else None
    if near is not None:
        place = _table_place(raw.decode("utf-8"), near)
        raise UsageError(f"{_shown(path)}{place}: [tool.{near}] is not read by runtime-lint: write [tool.runtime-lint]")
    if not isinstance(tool, dict) or "runtime-lint" not in tool:
        if explicit:
            raise UsageError(f"config {path}: has no [tool.runtime-lint] table")
        return None
    table = tool["runtime-lint"]
    if not isinstance(table, dict):
        raise UsageError(f"config {path}: [tool.runtime-lint] must be a table")
    return table


def _table_place(text: str, name: str) -> str:
    """`:line:col` where the table `tool.<name>` is first named: as a header (`[tool.name]`,
    `[tool.name.sub]`), a dotted key (`tool.name.key = ...`), or a key under `[tool]`; else ""."""
    import re

    key = rf"(?:{re.escape(name)}|\"{re.escape(name)}\"|'{re.escape(name)}')"
    for pattern in (rf"\[\[?\s*tool\s*\.\s*{key}\s*[.\]]", rf"tool\s*\.\s*{key}\s*[.=]", rf"{key}\s*[.=]"):
        for row, line in enumerate(text.split("\n"), 1):
            found = re.match(rf"[ \t]*({pattern})", line)
            if found is not None:
                return f":{row}:{found.start(1) + 1}"
    return ""


def known_keys() -> dict[str, Option]:
    """Config's settings and the options of every registered rule, plugins' too."""
    from runtime_lint.checks import all_rules

    return option_table(all_rules().values())


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
        place, why = _toml_place(exc, text)
        raise UsageError(f"{_shown(path)}{place}: invalid TOML: {why}") from None
    except RecursionError:
        raise UsageError(f"{_shown(path)}: invalid TOML: nested too deeply") from None


def _toml_place(exc: Exception, text: str) -> tuple[str, str]:
    """`:line:col` of a TOML error, and its message without tomllib's "(at line 3, column 1)"."""
    message = str(exc)
    row, column, why = getattr(exc, "lineno", None), getattr(exc, "colno", None), getattr(exc, "msg", None)
    if isinstance(row, int) and isinstance(column, int) and isinstance(why, str):  # Python 3.14, tomli 2.1
        return f":{row}:{column}", why
    head, at, place = message.rpartition(" (at ")
    if not at or not place.endswith(")"):
        return "", message
    place = place[:-1]
    if place == "end of document":
        row, column = text.count("\n") + 1, len(text) - text.rfind("\n")  # rfind -1: column len + 1
        return f":{row}:{column}", head
    line, comma, col = place.removeprefix("line ").partition(", column ")
    if comma and line.isdigit() and col.isdigit():
        return f":{line}:{col}", head
    return "", message


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


def parse_day(value: Any, where: str) -> date:
    return as_date(value, "as-of", where)


def resolve(
    config: Config | None,
    overrides: dict[str, Any],
    rules: dict[str, Rule],
    path: str,
    today: date,
) -> Settings:
    """The settings for the file at `path`: defaults, then the config file, then the flags."""
    where = f"config {config.path}" if config is not None and config.path else "settings"
    table = option_table(rules.values())
    values = {key: option.default for key, option in table.items()}
    if config is not None:
        values.update(config.values)
    selection = {key: as_list(values[key], key, where) for key in SELECTION if values[key] is not None}
    values.update((key, value) for key, value in overrides.items() if key not in SELECTION)
    options = {key: option.check(values[key], key, where) for key, option in table.items()}
    settings = Settings()
    settings.config_path = config.path if config is not None else None
    settings.options = options
    settings.fail_on = SEVERITY_BY_NAME.get(options["fail-on"], NEVER)
    settings.as_of = options["as-of"] if options["as-of"] is not None else today
    catalog = options["catalog"]
    if catalog is not None and config is not None and "catalog" not in overrides:
        catalog = os.path.join(config.root, catalog)
    settings.catalog = catalog
    settings.astro_project = options["astro-project"]
    root = config.root if config is not None else os.getcwd()
    selected = _selected(selection, overrides, rules, options, where)
    selected -= _ignored_here(options["per-file-ignores"], rules, path, root, where)
    levels = _levels(options["severity"], rules, where)
    for code in sorted(selected):
        rule = rules[code]
        for setting in rule.settings:
            if options.get(setting) is None:
                raise UsageError(f"{where}: {code} {rule.name} is selected but needs the '{setting}' setting")
        level = levels.get(code, rule.severity or WARNING)
        if level:
            settings.severities[code] = level
    return settings


def _selected(
    selection: dict[str, list[str]],
    overrides: dict[str, Any],
    rules: dict[str, Rule],
    options: dict[str, Any],
    where: str,
) -> set[str]:
    """Which rules run: the defaults, then the file's select/extend-select/ignore, then the flags'."""
    if "select" in selection:
        selected = expand_selectors(selection["select"], rules, where)
    else:
        selected = {code for code, r in rules.items() if r.severity}
        # An off-by-default policy rule runs once its settings are given.
        selected |= {
            code
            for code, r in rules.items()
            if not r.severity and r.settings and all(options.get(s) for s in r.settings)
        }
    selected |= expand_selectors(selection.get("extend-select", ()), rules, where)
    selected -= expand_selectors(selection.get("ignore", ()), rules, where)
    cli = "command line"
    if "select" in overrides:
        selected = expand_selectors(overrides["select"], rules, cli)
    selected |= expand_selectors(overrides.get("extend-select", ()), rules, cli)
    selected -= expand_selectors(overrides.get("ignore", ()), rules, cli)
    return selected


def _ignored_here(per_file: dict[str, Any], rules: dict[str, Rule], path: str, root: str, where: str) -> set[str]:
    """The codes `per-file-ignores` turns off for `path` (every pattern's codes are checked)."""
    ignored: set[str] = set()
    for pattern, codes in per_file.items():
        these = expand_selectors(as_list(codes, f"per-file-ignores '{pattern}'", where), rules, where)
        if matches(pattern, path, root):
            ignored |= these
    return ignored


def _levels(severity: dict[str, Any], rules: dict[str, Rule], where: str) -> dict[str, int]:
    """`[severity]`: code -> level (OFF for "off")."""
    levels: dict[str, int] = {}
    for selector, level in severity.items():
        if level not in LEVELS:
            raise UsageError(f"{where}: severity of {selector} must be error, warning, info or off, got {level!r}")
        for code in expand_selectors([selector], rules, where):
            levels[code] = SEVERITY_BY_NAME.get(level, OFF)
    return levels


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
