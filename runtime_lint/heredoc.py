"""Heredocs (`RUN <<EOF ... EOF`), as BuildKit's parser finds them: their bodies are not
instructions, so a `FROM` inside one is not a FROM (parser.go, parser_heredoc_test.go)."""

from __future__ import annotations

from runtime_lint.lines import quoted_words

HEREDOC_INSTRUCTIONS = frozenset({"run", "copy", "add"})
HEREDOC_KEYWORDS = HEREDOC_INSTRUCTIONS | {"onbuild"}  # ONBUILD RUN <<EOF opens a heredoc too


def skip_heredocs(text: str, lines: list[str], i: int) -> int:
    """Skip the bodies of heredocs opened on this instruction; return the next line index.

    As BuildKit's parser (`canContainHeredoc`, `heredocsFromLine`): RUN, COPY and ADD, also
    under ONBUILD, in shell form only (an exec-form JSON array has no heredoc); each word of
    the line (quotes kept) of the form `[n]<<[-]WORD` opens one, ended by a line equal to WORD
    with its quotes removed (`<<eo'f'` ends at `eof`), leading tabs dropped after `<<-`."""
    if "<<" not in text:
        return i
    words = text.split(None, 1)
    if len(words) == 2 and words[0].lower() == "onbuild":
        words = words[1].split(None, 1)
    if len(words) < 2 or words[0].lower() not in HEREDOC_INSTRUCTIONS or _is_json_array(words[1]):
        return i
    for word in _raw_words(text):
        heredoc = _heredoc(word)
        if heredoc is None:
            continue
        name, strip_tabs = heredoc
        while i < len(lines):
            body = lines[i].lstrip("\t") if strip_tabs else lines[i]
            i += 1
            if body == name:
                break
    return i


def _is_json_array(rest: str) -> bool:
    """BuildKit's `parseJSON` takes the operands (after any `--flag`s) as exec form."""
    while rest.startswith("--"):
        parts = rest.split(None, 1)
        rest = parts[1] if len(parts) == 2 else ""
    rest = rest.lstrip()
    if not rest.startswith("["):
        return False
    import json

    try:
        value = json.loads(rest)
    except ValueError:
        return False
    return isinstance(value, list)


def _raw_words(text: str) -> list[str]:
    """The words of a line as BuildKit's lexer splits them to find heredocs (its escape is always
    a backslash here, whatever the file's escape directive: parser.go heredocsFromLine)."""
    return [text[a:b] for a, b in quoted_words(text, 0, "\\", heredoc=True)]


def _heredoc(word: str) -> tuple[str, bool] | None:
    """(terminator, strip tabs) when the word matches `^(\\d*)<<(-?)\\s*([^<]*)$` (BuildKit's
    `reHeredoc`) with a non-empty rest; the terminator is the rest with quotes removed."""
    k = 0
    while k < len(word) and word[k] in "0123456789":
        k += 1
    if not word.startswith("<<", k):
        return None
    rest = word[k + 2 :]
    strip_tabs = rest.startswith("-")
    if strip_tabs:
        rest = rest[1:]
    rest = rest.lstrip()
    if not rest or "<" in rest:
        return None
    name: list[str] = []
    quote = ""
    j = 0
    while j < len(rest):
        ch = rest[j]
        j += 1
        if quote == "'":
            if ch == "'":
                quote = ""
            else:
                name.append(ch)
        elif ch == quote:
            quote = ""
        elif ch in "'\"" and not quote:
            quote = ch
        elif ch == "\\" and j < len(rest) and (not quote or rest[j] in '"$\\'):
            name.append(rest[j])
            j += 1
        else:
            name.append(ch)
    return "".join(name), strip_tabs
