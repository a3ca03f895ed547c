"""A setting's type, default and validation: one `Option` per key of `[tool.runtime-lint]`.

A rule owns the options it reads (`@rule(..., options={"warn-days": Option(int, 90, minimum=0)})`);
the settings that belong to no rule (`fail-on`, `as-of`, `catalog`, ...) are a table in config.py.
Both are checked the same way, with one line naming the config file and the key:

    config ./.runtime-lint.toml: warn-days must be a whole number of days, got -1

Kinds: `int` (with `minimum`), `str` (with `choices`), `bool`, `list` (of strings; a
comma-separated string is split), `dict` (a table), `VERSION` (a Runtime version, X.Y.Z or X.Y-N),
`DATE` (YYYY-MM-DD) and `URL` (a non-empty string). A default of None means "not set": an option
left unset is not checked, and an off-by-default rule runs once all its options are set.
"""

from __future__ import annotations

from runtime_lint.model import UsageError, date

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["DATE", "URL", "VERSION", "Option", "as_list"]

VERSION = "version"
DATE = "date"
URL = "url"
_KINDS: tuple[object, ...] = (int, str, bool, list, dict, VERSION, DATE, URL)
_EXPECTS: dict[object, str] = {
    int: "a whole number",
    str: "a string",
    bool: "true or false",
    list: "a list of strings",
    dict: "a table",
    VERSION: "X.Y.Z or X.Y-N",
    DATE: "a date YYYY-MM-DD",
    URL: "a URL string",
}


class Option:
    """One setting: its kind, default and limits, and a one-line `help` for the rule book."""

    __slots__ = ("choices", "default", "expects", "help", "ignore_case", "kind", "minimum", "unit")

    def __init__(
        self,
        kind: object,
        default: Any = None,
        *,
        minimum: int | None = None,
        choices: tuple[str, ...] | None = None,
        ignore_case: bool = False,
        unit: str = "",
        expects: str = "",
        help: str = "",
    ) -> None:
        if kind not in _KINDS:
            raise TypeError(f"Option kind must be one of int, str, bool, list, dict, VERSION, DATE, URL, got {kind!r}")
        self.kind = kind
        self.default = default
        self.minimum = minimum
        self.choices = choices
        self.ignore_case = ignore_case  # choices compared case-insensitively; the value is kept as written
        self.unit = unit  # "days": "a whole number of days"
        self.expects = expects or self._expects()  # what the error message says a value must be
        self.help = help

    def _expects(self) -> str:
        choices = self.choices
        if choices:
            if len(choices) == 2:
                return f"'{choices[0]}' or '{choices[1]}'"
            return f"one of {', '.join(choices)}"
        text = _EXPECTS[self.kind]
        if self.unit:
            text += f" of {self.unit}"
        if self.minimum:
            text += f", at least {self.minimum}"
        return text

    def same_as(self, other: Option) -> bool:
        """Whether two rules declaring one key mean the same option (they may share it)."""
        return (self.kind, self.default, self.minimum, self.choices, self.ignore_case) == (
            other.kind,
            other.default,
            other.minimum,
            other.choices,
            other.ignore_case,
        )

    def check(self, value: Any, key: str, where: str) -> Any:
        """The value, checked (and normalised: lists stripped, dates parsed); None stays None."""
        if value is None:
            return None
        kind = self.kind
        if kind is list:
            return as_list(value, key, where)
        if kind is DATE:
            return as_date(value, key, where)
        if self._fits(value):
            return value.strip() if kind is URL else value
        raise UsageError(f"{where}: {key} must be {self.expects}, got {value!r}")

    def _fits(self, value: Any) -> bool:
        kind = self.kind
        if kind is int:
            if not isinstance(value, int) or isinstance(value, bool):
                return False
            return self.minimum is None or value >= self.minimum
        if kind is bool:
            return isinstance(value, bool)
        if kind is dict:
            return isinstance(value, dict)
        if not isinstance(value, str):
            return False
        if kind is URL:
            return bool(value.strip())
        if kind is VERSION:
            return _is_version(value)
        if self.choices is not None:
            return (value.lower() if self.ignore_case else value) in self.choices
        return True


def as_list(value: Any, key: str, where: str) -> list[str]:
    """A list of strings, or a comma-separated string, as a list of stripped strings."""
    if isinstance(value, str):
        value = [v for v in value.split(",") if v.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UsageError(f"{where}: {key} must be a list of strings")
    return [v.strip() for v in value]


def as_date(value: Any, key: str, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise UsageError(f"{where}: {key} must be a date YYYY-MM-DD, got '{value}'") from None


def _is_version(value: str) -> bool:
    from runtime_lint.image import TagError, version_key

    try:
        version_key(value)
    except TagError:
        return False
    return True
