"""Docker's word expansion for `FROM` operands and `ARG` defaults, with provenance.

This follows BuildKit's shell lexer (`frontend/dockerfile/shell/lex.go`): quotes are removed,
the escape character escapes the next character, and `$V`, `${V}`, `${V:-w}`, `${V-w}`,
`${V:+w}`, `${V+w}`, `${V:?w}`, `${V?w}`, `${V#p}`, `${V##p}`, `${V%p}`, `${V%%p}`,
`${V/p/r}` and `${V//p/r}` are expanded. Nested words (`${A:-${B:-x}}`) work to a bounded depth,
and what all the expansions of one file may cost is bounded too (`Budget`).

Two things are added to what Docker computes:
- every output character keeps its origin, the (line, column) in the Dockerfile it was copied
  from, or None when it came from elsewhere (a --build-arg, a computed replacement). Fixes use
  this to edit the text a tag really comes from, such as an ARG default;
- the names of variables whose value is not known here (set by the build platform, or required
  by `${V:?}` and missing) are collected in `unresolved`, so an image that depends on them is
  reported as unresolved instead of being guessed;
- the names of variables that expand to the empty string because they have no value (declared
  without a default, not declared, positional such as `$1`) are collected in `empty`: BuildKit
  builds what they expand to (`12.6.0${VARIANT}` builds `12.6.0`; integration test
  testUndeclaredArg), and warns about the undeclared ones (lint rule UndefinedArgInFrom). A name
  that is not declared but has a default in the word (`${V:-12.6.0}`) is collected there too,
  as UNDECLARED_DEFAULT: BuildKit's lexer records every name it finds no value for, and warns.
  So is an undeclared name in the word of a `${V:-word}` (or `+`, `?`) that is not used, as
  UNDECLARED_UNUSED: the lexer reads the word before it looks V up (processDollar).
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

    Origin = tuple[int, int] | None

MAX_DEPTH = 32
# What the expansions of one file may cost (see `Budget`): far above any real Dockerfile, low
# enough that `ARG B=$A$A$A...` chains, `${A//?/$B}` or trims of huge values cannot take minutes
# or gigabytes.
MAX_CHARS = 1 << 18  # characters of ARG values and substitutions kept in memory
MAX_STEPS = 1 << 26  # characters examined by `#`, `%` and `/` pattern matching

# Build arguments that BuildKit defines from the build and target platform: their values
# depend on the machine that builds, so an image name using them cannot be resolved here.
PLATFORM_ARGS = frozenset(
    {
        "BUILDPLATFORM",
        "BUILDOS",
        "BUILDOSVERSION",
        "BUILDARCH",
        "BUILDVARIANT",
        "TARGETPLATFORM",
        "TARGETOS",
        "TARGETOSVERSION",
        "TARGETARCH",
        "TARGETVARIANT",
    }
)
TARGET_STAGE = "TARGETSTAGE"  # the stage the build targets (--target), "default" without one
# every ARG BuildKit predefines (dockerfile2llb/platform.go defaultArgs); --build-arg sets them
PREDEFINED_ARGS = PLATFORM_ARGS | {TARGET_STAGE}

# Why a variable's value is unknown (`unresolved`) ...
PLATFORM = "platform"
TARGET = "target"  # TARGETSTAGE: the build's --target
REQUIRED = "required"
# ... or empty (`empty`)
UNDECLARED = "undeclared"  # used in the word itself; BuildKit warns (UndefinedArgInFrom)
UNDECLARED_IN_ARG = "undeclared-in-arg"  # used in the default of an ARG the word uses
UNDECLARED_DEFAULT = "undeclared-default"  # `${V:-word}` in the word itself: the word stands in
UNDECLARED_UNUSED = "undeclared-unused"  # in the word of `${V:-word}` when V is set: not used
# reasons that do not make the word shorter: BuildKit only warns (UndefinedArgInFrom)
WARN_ONLY = frozenset({UNDECLARED_DEFAULT, UNDECLARED_UNUSED})
NO_DEFAULT = "no-default"
POSITIONAL = "positional"  # $1, ${2}: there are no positional parameters (shell/envVarTest)


class Var:
    """A variable in scope: its text and origins, or `text=None` when it has no value; `empty`:
    the variables its value used that expanded to the empty string."""

    __slots__ = ("empty", "origins", "text", "unresolved")

    def __init__(
        self,
        text: str | None,
        origins: list[Origin] | None = None,
        unresolved: dict[str, str] | None = None,
        empty: dict[str, str] | None = None,
    ) -> None:
        self.text = text
        self.origins: list[Origin] = origins if origins is not None else [None] * len(text or "")
        self.unresolved: dict[str, str] = unresolved or {}
        self.empty: dict[str, str] = empty or {}


class ExpandError(Exception):
    """Docker would refuse this word (bad substitution, missing quote or brace), or expanding it
    would exceed the file's `Budget`."""


class BudgetError(ExpandError):
    """The file's expansions ran out of `Budget`."""


class Budget:
    """What the expansions of one file may still cost; shared by every `expand` of a parse.

    Substituting a variable copies its value (with one origin per character), so ARGs that use
    each other several times over grow exponentially; glob trims and replacements scan values
    once per candidate cut. Both are charged here, and ExpandError is raised when either runs out.
    """

    __slots__ = ("chars", "limits", "reported", "steps")

    def __init__(self, chars: int = MAX_CHARS, steps: int = MAX_STEPS) -> None:
        self.limits = (chars, steps)
        self.chars = chars  # left
        self.steps = steps  # left
        self.reported = False  # for the caller: whether it has told the user it ran out

    def spend(self, chars: int = 0, steps: int = 0) -> None:
        self.chars -= chars
        self.steps -= steps
        if self.chars < 0:
            raise BudgetError(f"variables in this file expand to more than {self.limits[0]:,} characters")
        if self.steps < 0:
            raise BudgetError(f"pattern matching on variables in this file takes more than {self.limits[1]:,} steps")


class Expanded:
    """The result: text, one origin per character, what could not be resolved, and what
    expanded to the empty string."""

    __slots__ = ("empty", "origins", "text", "unresolved")

    def __init__(
        self, text: str, origins: list[Origin], unresolved: dict[str, str], empty: dict[str, str] | None = None
    ) -> None:
        self.text = text
        self.origins = origins
        self.unresolved = unresolved
        self.empty: dict[str, str] = empty if empty is not None else {}


def is_plain(text: str, escape: str = "\\") -> bool:
    """Nothing in `text` to expand: no `$`, quote or escape character; it stands as written."""
    return "$" not in text and "'" not in text and '"' not in text and escape not in text


def expand(
    text: str,
    origins: list[Origin],
    env: Mapping[str, Var],
    escape: str = "\\",
    budget: Budget | None = None,
) -> Expanded:
    """Expand one word as Docker does; raise ExpandError where Docker reports an error, or when
    `budget` (the file's; by default a fresh one for this word) runs out."""
    if is_plain(text, escape):
        return Expanded(text, origins, {})  # nothing to expand: most image names
    lexer = _Lexer(text, origins, env, escape, budget if budget is not None else Budget())
    out_text, out_origins = lexer.word(stop=None, depth=0)
    return Expanded("".join(out_text), out_origins, lexer.unresolved, lexer.empty)


class _Lexer:
    __slots__ = ("budget", "empty", "env", "esc", "i", "o", "s", "unresolved")

    def __init__(self, s: str, o: list[Origin], env: Mapping[str, Var], esc: str, budget: Budget) -> None:
        self.budget = budget
        self.s = s
        self.o = o
        self.i = 0
        self.env = env
        self.esc = esc
        self.unresolved: dict[str, str] = {}
        self.empty: dict[str, str] = {}

    def peek(self) -> str:
        return self.s[self.i] if self.i < len(self.s) else ""

    def word(self, stop: str | None, depth: int) -> tuple[list[str], list[Origin]]:
        if depth > MAX_DEPTH:
            raise ExpandError(f"substitution nested more than {MAX_DEPTH} levels deep")
        s, o, esc = self.s, self.o, self.esc
        special = "$'\"" + esc + (stop or "")
        chars: list[str] = []  # pieces of text (single characters or runs), joined by the caller
        origins: list[Origin] = []
        n = len(s)
        while self.i < n:
            ch = s[self.i]
            if stop is not None and ch == stop:
                self.i += 1
                return chars, origins
            if ch == "$":
                self.dollar(chars, origins, depth)
            elif ch == "'":
                self.single_quote(chars, origins)
            elif ch == '"':
                self.double_quote(chars, origins, depth)
            elif ch == esc:
                self.i += 1
                if self.i >= n:
                    break
                chars.append(s[self.i])
                origins.append(o[self.i])
                self.i += 1
            else:  # a run of plain characters, copied at once
                end = _plain_end(s, self.i, special)
                chars.append(s[self.i : end])
                origins.extend(o[self.i : end])
                self.i = end
        if stop is not None:
            raise ExpandError(f"missing '{stop}'")
        return chars, origins

    def single_quote(self, chars: list[str], origins: list[Origin]) -> None:
        end = self.s.find("'", self.i + 1)
        if end < 0:
            raise ExpandError("missing closing single quote")
        chars.extend(self.s[self.i + 1 : end])
        origins.extend(self.o[self.i + 1 : end])
        self.i = end + 1

    def double_quote(self, chars: list[str], origins: list[Origin], depth: int) -> None:
        s, o, esc = self.s, self.o, self.esc
        self.i += 1
        n = len(s)
        while self.i < n:
            ch = s[self.i]
            if ch == '"':
                self.i += 1
                return
            if ch == "$":
                self.dollar(chars, origins, depth)
                continue
            self.i += 1
            if ch == esc and self.i < n and s[self.i] in ('"', "$", esc):
                ch = s[self.i]
                self.i += 1
            chars.append(ch)
            origins.append(o[self.i - 1])
        raise ExpandError("missing closing double quote")

    def name(self) -> str:
        s, start = self.s, self.i
        n = len(s)
        if start < n and s[start].isdigit():
            while self.i < n and s[self.i].isdigit():
                self.i += 1
            return s[start : self.i]
        if start < n and s[start] in "@*#?-$!":
            self.i += 1
            return s[start]
        while self.i < n and (s[self.i].isalnum() or s[self.i] == "_"):
            self.i += 1
        return s[start : self.i]

    def lookup(self, name: str, why_unknown: bool = True) -> Var | None:
        """The variable's value, or None; records why it is unknown or empty when that matters
        (`why_unknown`: the empty string is what the word gets from it)."""
        var = self.env.get(name)
        if name in PREDEFINED_ARGS and (var is None or var.text is None):
            self.unresolved.setdefault(name, TARGET if name == TARGET_STAGE else PLATFORM)
            return None
        if var is None or var.text is None:
            if why_unknown:
                self.empty_because(name, var)
            return None
        if var.unresolved:
            self.budget.spend(len(var.unresolved))
            for key, reason in var.unresolved.items():
                self.unresolved.setdefault(key, reason)
        if var.empty:
            self.budget.spend(len(var.empty))
            for key, reason in var.empty.items():
                if reason not in WARN_ONLY:  # reported in the FROM that has it, not in ARGs
                    self.note_empty(key, UNDECLARED_IN_ARG if reason == UNDECLARED else reason)
        return var

    def empty_because(self, name: str, var: Var | None) -> None:
        """`name` has no value: BuildKit expands it to the empty string."""
        if var is not None:
            reason = NO_DEFAULT
        elif name[:1].isdigit():
            reason = POSITIONAL
        else:
            reason = UNDECLARED
        self.note_empty(name, reason)

    def note_empty(self, name: str, reason: str) -> None:
        """Record why `name` is empty: the first reason, but one that empties the word over one
        that only warns (`${W:-1}$W`: the second W is empty)."""
        known = self.empty.get(name)
        if known is None or (known in WARN_ONLY and reason not in WARN_ONLY):
            self.empty[name] = reason

    def dollar(self, chars: list[str], origins: list[Origin], depth: int) -> None:
        dollar_at = self.i
        self.i += 1
        if self.peek() != "{":
            name = self.name()
            if not name:
                chars.append("$")
                origins.append(self.o[dollar_at])
                return
            self.emit(self.lookup(name), chars, origins)
            return
        self.i += 1
        first = self.peek()
        if first == "":
            raise ExpandError("missing '}'")
        if first in "{}:":
            raise ExpandError("bad substitution")
        name = self.name()
        op = self.peek()
        self.i += 1
        if op == "}":
            self.emit(self.lookup(name), chars, origins)
            return
        colon = op == ":"
        if colon:
            op = self.peek()
            self.i += 1
            if op not in ("-", "+", "?"):
                raise ExpandError(f"unsupported modifier ({op or 'end of text'}) in substitution")
        if op in ("-", "+", "?"):
            self._modifier(name, op, colon, chars, origins, depth)
            return
        if op in ("#", "%"):
            self._trim_var(name, op, chars, origins, depth)
            return
        if op == "/":
            self._replace_var(name, chars, origins, depth)
            return
        raise ExpandError(f"unsupported modifier ({op or 'end of text'}) in substitution")

    def _modifier(self, name: str, op: str, colon: bool, chars: list[str], origins: list[Origin], depth: int) -> None:
        """`${V-word}`, `${V+word}`, `${V?word}` (with `:`: an empty value counts as unset)."""
        # The alternative word is expanded first (its variables matter only when it is used), into
        # a scratch lexer state: what it found is kept if it is chosen, else only its undeclared names
        saved, saved_empty = self.unresolved, self.empty
        self.unresolved, self.empty = {}, {}
        word_chars, word_origins = self.word("}", depth + 1)
        word_unresolved, word_empty = self.unresolved, self.empty
        self.unresolved, self.empty = saved, saved_empty
        var = self.lookup(name, why_unknown=False)
        is_set = var is not None and (not colon or var.text != "")
        if (op == "-" and not is_set) or (op == "+" and is_set):  # the word is the value
            if op == "-" and name not in self.env and name not in PREDEFINED_ARGS and not name[:1].isdigit():
                self.note_empty(name, UNDECLARED_DEFAULT)
            self._take(word_unresolved, word_empty)
            chars.extend(word_chars)
            origins.extend(word_origins)
            return
        if op == "?" and not is_set:
            self.unresolved.setdefault(name, REQUIRED)
            return
        if op != "+":  # "-" or "?" with the variable set: its value
            self.emit(var, chars, origins)
        elif var is None or var.text is None:
            self.empty_because(name, var)  # `+` on an unset variable: nothing is left
        for key, reason in word_empty.items():  # the word is not used, but was read: BuildKit warns
            if reason == UNDECLARED or reason in WARN_ONLY:
                self.note_empty(key, UNDECLARED_UNUSED)

    def _trim_var(self, name: str, op: str, chars: list[str], origins: list[Origin], depth: int) -> None:
        """`${V#pattern}`, `${V##pattern}`, `${V%pattern}`, `${V%%pattern}`."""
        longest = self.peek() == op
        if longest:
            self.i += 1
        pattern, _ = self.word("}", depth + 1)
        var = self.lookup(name)
        if var is not None and var.text is not None:
            start, end = _trim(var.text, "".join(pattern), op == "#", longest, self.budget)
            self.budget.spend(end - start)
            chars.append(var.text[start:end])
            origins.extend(var.origins[start:end])

    def _replace_var(self, name: str, chars: list[str], origins: list[Origin], depth: int) -> None:
        """`${V/pattern/replacement}`, `${V//pattern/replacement}`."""
        every = self.peek() == "/"
        if every:
            self.i += 1
        pattern_chars, _ = self._until_slash_or_brace(depth)
        replacement: list[str] = []
        if self.s[self.i - 1] == "/":
            replacement, _ = self.word("}", depth + 1)
        var = self.lookup(name)
        if var is not None and var.text is not None:
            new = _replace(var.text, "".join(pattern_chars), "".join(replacement), every, self.budget)
            self.budget.spend(len(new))
            chars.append(new)
            origins.extend(var.origins if new == var.text else [None] * len(new))

    def _until_slash_or_brace(self, depth: int) -> tuple[list[str], list[Origin]]:
        s = self.s
        start = self.i
        while self.i < len(s) and s[self.i] not in "/}":
            self.i += 1
        if self.i >= len(s):
            raise ExpandError("missing '}'")
        self.i += 1
        return list(s[start : self.i - 1]), list(self.o[start : self.i - 1])

    def _take(self, found: dict[str, str], empty: dict[str, str]) -> None:
        for key, reason in found.items():
            self.unresolved.setdefault(key, reason)
        for key, reason in empty.items():
            self.note_empty(key, reason)

    def emit(self, var: Var | None, chars: list[str], origins: list[Origin]) -> None:
        if var is not None and var.text:
            self.budget.spend(len(var.text))
            chars.append(var.text)
            origins.extend(var.origins)


def _plain_end(s: str, i: int, special: str) -> int:
    """End of the run of characters from `i` that `_Lexer.word` copies as they are: the next
    special character, or the end (a few C-speed finds: `re` costs more to import than a run)."""
    end = len(s)
    for ch in special:
        k = s.find(ch, i, end)
        if k >= 0:
            end = k
    return end


def _glob_regex(pattern: str) -> str:
    import fnmatch

    return fnmatch.translate(pattern)[4:-3]  # strip "(?s:" and ")\\Z"


def _trim(text: str, pattern: str, prefix: bool, longest: bool, budget: Budget) -> tuple[int, int]:
    """Bounds of `text` left after removing a prefix or suffix that matches a glob."""
    import re

    rx = re.compile(_glob_regex(pattern), re.S)
    n = len(text)
    weight = pattern.count("*") + 1  # a match attempt scans the candidate about once per star
    cuts = range(n, -1, -1) if longest else range(n + 1)
    for cut in cuts:
        budget.spend(steps=(cut + 1) * weight)
        if prefix and rx.fullmatch(text, 0, cut):  # as rx.fullmatch(text[:cut]), without the copy
            return cut, n
        if not prefix and rx.fullmatch(text, n - cut):
            return 0, n - cut
    return 0, n


def _replace(text: str, pattern: str, replacement: str, every: bool, budget: Budget) -> str:
    import re

    if not pattern:
        return text
    rx = re.compile(_glob_regex(pattern), re.S)
    budget.spend(steps=(len(text) + 1) * (pattern.count("*") + 1) * 2)
    if replacement:  # what the result will hold, before building it
        grown = 0
        for _ in rx.finditer(text):
            grown += len(replacement)
            if not every:
                break
        budget.spend(chars=grown)
    return rx.sub(lambda _: replacement, text, count=0 if every else 1)
