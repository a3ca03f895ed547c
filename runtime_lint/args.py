"""A small declarative command-line parser.

argparse (with the gettext, locale and shutil modules it pulls in) costs about 3 ms of start-up
on every run, a tenth of a pre-commit hook's budget; this covers what runtime-lint needs:
`--opt value`, `--opt=value`, `-o value`, `-ovalue`, flags, repeatable and comma-separated
values, `--flag/--no-flag`, choices, positionals, `--` and `-` (stdin). Errors are one line.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import Any


class Namespace:
    """Parsed options as attributes (types.Namespace without importing `types`)."""

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)

    if TYPE_CHECKING:  # each command reads its own typed view of these (runtime_lint/arguments.py)

        def __getattr__(self, name: str) -> Any: ...

    def __repr__(self) -> str:
        return f"Namespace({', '.join(f'{k}={v!r}' for k, v in self.__dict__.items())})"


class ArgError(Exception):
    """A command-line mistake; the message is one line."""


class Opt:
    """One option: its names, where it goes, what it takes."""

    __slots__ = ("choices", "default", "dest", "help", "kind", "metavar", "names")

    def __init__(
        self,
        names: str,
        help: str,
        *,
        kind: str = "value",
        choices: tuple[str, ...] = (),
        metavar: str = "",
        default: Any = None,
        dest: str = "",
    ) -> None:
        self.names = tuple(names.split())
        long = next((n for n in self.names if n.startswith("--")), self.names[0])
        self.dest = dest or long.lstrip("-").replace("-", "_")
        self.kind = kind  # value, flag, append, csv, bool (--x / --no-x), number
        self.choices = choices
        self.metavar = metavar or (("{" + ",".join(choices) + "}") if choices else self.dest.upper())
        self.help = help
        if default is None and kind == "append":
            default = []
        if default is None and kind == "flag":
            default = False
        self.default = default

    def takes_value(self) -> bool:
        return self.kind in ("value", "append", "csv", "number")


class Command:
    """A command's options and positionals, and its help."""

    def __init__(
        self, prog: str, description: str, positionals: Sequence[tuple[str, str, str]], opts: Sequence[Opt]
    ) -> None:
        self.prog = prog
        self.description = description
        self.positionals = positionals  # (dest, nargs "*" / "1" / "?", help)
        self.opts = list(opts)
        self.by_name: dict[str, Opt] = {}
        for opt in self.opts:
            for name in opt.names:
                self.by_name[name] = opt
            if opt.kind == "bool":
                self.by_name["--no-" + opt.names[0][2:]] = opt

    def parse(self, argv: Sequence[str]) -> Namespace:
        # a list default is copied: append() must not grow the Opt's own list for the next parse
        ns = Namespace(
            **{opt.dest: list(opt.default) if isinstance(opt.default, list) else opt.default for opt in self.opts}
        )
        positional: list[str] = []
        i = 0
        only_positional = False
        while i < len(argv):
            arg = argv[i]
            i += 1
            if only_positional or arg == "-" or not arg.startswith("-"):
                positional.append(arg)
                continue
            if arg == "--":
                only_positional = True
                continue
            if arg in ("-h", "--help"):
                sys.stdout.write(self.help_text())
                raise SystemExit(0)
            name, eq, value = arg.partition("=") if arg.startswith("--") else (arg[:2], "", arg[2:])
            if not arg.startswith("--") and value:
                eq = "="
            opt = self.by_name.get(name)
            if opt is None:
                raise ArgError(f"unrecognized option '{name}'{did_you_mean(name, self.by_name)}")
            if not opt.takes_value():
                if eq:
                    raise ArgError(f"option {name} takes no value")
                setattr(ns, opt.dest, not name.startswith("--no-") if opt.kind == "bool" else True)
                continue
            if not eq:
                if i >= len(argv):
                    raise ArgError(f"option {name} needs a value ({opt.metavar})")
                value = argv[i]
                i += 1
            self._store(ns, opt, name, value)
        self._positionals(ns, positional)
        return ns

    def _store(self, ns: Namespace, opt: Opt, name: str, value: str) -> None:
        if opt.choices and value not in opt.choices:
            raise ArgError(f"option {name} must be one of {', '.join(opt.choices)}, got '{value}'")
        if opt.kind == "append":
            getattr(ns, opt.dest).append(value)
        elif opt.kind == "csv":
            current = getattr(ns, opt.dest) or []
            setattr(ns, opt.dest, current + [part.strip() for part in value.split(",") if part.strip()])
        elif opt.kind == "number":
            try:
                setattr(ns, opt.dest, float(value))
            except ValueError:
                raise ArgError(f"option {name} needs a number, got '{value}'") from None
        else:
            setattr(ns, opt.dest, value)

    def _positionals(self, ns: Namespace, values: list[str]) -> None:
        for dest, nargs, _ in self.positionals:
            if nargs == "*":
                setattr(ns, dest, values)
                values = []
            elif nargs == "?":
                setattr(ns, dest, values.pop(0) if values else None)
            else:
                if not values:
                    raise ArgError(f"missing argument {dest.upper()}")
                setattr(ns, dest, values.pop(0))
        if values:
            raise ArgError(f"unexpected argument '{values[0]}'")

    def help_text(self) -> str:
        usage = [self.prog]
        for dest, nargs, _ in self.positionals:
            usage.append({"*": f"[{dest.upper()} ...]", "?": f"[{dest.upper()}]"}.get(nargs, dest.upper()))
        usage.append("[options]")
        lines = [f"usage: {' '.join(usage)}", "", self.description, ""]
        if self.positionals:
            lines.append("arguments:")
            lines += [f"  {dest.upper():<26}{text}" for dest, _, text in self.positionals]
            lines.append("")
        lines.append("options:")
        lines.append(f"  {'-h, --help':<26}show this help and exit")
        for opt in self.opts:
            names = ", ".join(opt.names)
            if opt.kind == "bool":
                names = f"{opt.names[0]}, --no-{opt.names[0][2:]}"
            elif opt.takes_value():
                names += f" {opt.metavar}"
            if len(names) > 24:
                lines.append(f"  {names}")
                lines.append(f"  {'':<26}{opt.help}")
            else:
                lines.append(f"  {names:<26}{opt.help}")
        return "\n".join(lines) + "\n"


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`: did you mean '--format'?` for a near miss among `choices`, else ""."""
    from difflib import get_close_matches

    close = get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f": did you mean '{close[0]}'?" if close else ""
