"""Turns plan text into tokens that remember where they came from.

Kept apart from the parser so the forgiving bits of spelling (typographic quotes in
``6’00’’``, ``×`` for ``x``, ``+/-`` for ``±``, list bullets) are settled in one place and
the parser only sees a small, regular alphabet. Offsets are absolute in the original text so
errors can point at the offending character.
"""

from __future__ import annotations

from dataclasses import dataclass

from workoutcheck.errors import PlanSyntaxError

MINUTE_MARKS = "'’′`´"
SECOND_MARKS = ("''", "’’", "′′", '"', "″", "”", "``")


@dataclass(frozen=True)
class Token:
    kind: str  # NUM, CLOCK, WORD, SYM, NL, BULLET, EOF
    text: str
    start: int
    end: int
    value: float = 0.0  # NUM: the number; CLOCK: seconds
    indent: int = 0  # NL and BULLET: indentation of the line they start

    def is_word(self, *words: str) -> bool:
        return self.kind == "WORD" and self.text.lower() in words

    def is_sym(self, *syms: str) -> bool:
        return self.kind == "SYM" and self.text in syms


def describe(tok: Token) -> str:
    """How a token is named in an error message."""
    if tok.kind == "EOF":
        return "the end of the plan"
    if tok.kind == "NL":
        return "the end of the line"
    return f'"{tok.text}"'


def tokenize(text: str, start: int = 0) -> list[Token]:
    """Tokens of ``text[start:]``; raises PlanSyntaxError on a character the grammar never uses."""
    toks: list[Token] = []
    i, n = start, len(text)
    line_start = True
    while i < n:
        c = text[i]
        if c in " \t\r\u00a0":
            i += 1
            continue
        if c == "\n":
            j = i + 1
            while j < n and text[j] in " \t":
                j += 1
            toks.append(Token("NL", "\n", i, i + 1, indent=j - i - 1))
            i, line_start = i + 1, True
            continue
        if line_start and c in "-*•–" and (i + 1 == n or text[i + 1] in " \t"):
            col = i - (text.rfind("\n", 0, i) + 1)
            toks.append(Token("BULLET", c, i, i + 1, indent=col))
            i += 1
            line_start = False
            continue
        line_start = False
        if _is_digit(c) or (c == "." and i + 1 < n and _is_digit(text[i + 1])):
            tok, i = _number(text, i)
            toks.append(tok)
            continue
        if c.isalpha():
            j = i + 1
            while j < n and (
                text[j].isalpha()
                or (
                    text[j] == "-" and j + 1 < n and text[j + 1].isalpha() and text[j - 1].isalpha()
                )
            ):
                j += 1
            word = text[i:j]
            kind = "SYM" if word in ("x", "X") else "WORD"
            toks.append(Token(kind, "x" if kind == "SYM" else word, i, j))
            i = j
            continue
        for sym, canon in (("+/-", "±"), ("+-", "±"), ("->", "->"), ("→", "->"), ("=>", "->")):
            if text.startswith(sym, i):
                toks.append(Token("SYM", canon, i, i + len(sym)))
                i += len(sym)
                break
        else:
            if c in "@,;()/%±:-×*":
                toks.append(Token("SYM", {"×": "x", "*": "x"}.get(c, c), i, i + 1))
                i += 1
                continue
            raise PlanSyntaxError(text=text, offset=i, expected="a step", found=f'"{c}"')
    toks.append(Token("EOF", "", n, n))
    return toks


def _number(text: str, i: int) -> tuple[Token, int]:
    """A number, a clock time (``3:45``, ``1:02:30``) or a prime time (``6'00''``)."""
    n = len(text)
    j = _digits(text, i, allow_point=True)
    # clock: 3:45, 3:45.5, 1:02:30
    if j + 1 < n and text[j] == ":" and _is_digit(text[j + 1]) and "." not in text[i:j]:
        parts = [text[i:j]]
        k = j
        while k + 1 < n and text[k] == ":" and _is_digit(text[k + 1]) and len(parts) < 3:
            e = _digits(text, k + 1, allow_point=True)
            parts.append(text[k + 1 : e])
            k = e
            if "." in parts[-1]:
                break
        if len(parts[-1].split(".")[0]) != 2 or any(len(p) != 2 for p in parts[1:-1]):
            raise PlanSyntaxError(
                text=text,
                offset=j + 1,
                expected="two digits of seconds after the colon",
                found=f'"{text[j + 1 : k]}"',
            )
        if any(float(p) >= 60 for p in parts[1:]):
            raise PlanSyntaxError(
                text=text,
                offset=j + 1,
                expected="minutes and seconds below 60",
                found=f'"{text[i:k]}"',
            )
        total = 0.0
        for p in parts:
            total = total * 60 + float(p)
        return Token("CLOCK", text[i:k], i, k, value=total), k
    # prime: 6'00'' or 6’00’’
    if (
        j < n
        and text[j] in MINUTE_MARKS
        and j + 1 < n
        and _is_digit(text[j + 1])
        and "." not in text[i:j]
    ):
        e = _digits(text, j + 1, allow_point=True)
        if len(text[j + 1 : e].split(".")[0]) != 2:
            raise PlanSyntaxError(
                text=text,
                offset=j + 1,
                expected="two digits of seconds after the minutes mark",
                found=f'"{text[j + 1 : e]}"',
            )
        if float(text[j + 1 : e]) >= 60:
            raise PlanSyntaxError(
                text=text, offset=j + 1, expected="seconds below 60", found=f'"{text[j + 1 : e]}"'
            )
        k = e
        for mark in SECOND_MARKS:
            if text.startswith(mark, k):
                k += len(mark)
                break
        return Token(
            "CLOCK", text[i:k], i, k, value=float(text[i:j]) * 60 + float(text[j + 1 : e])
        ), k
    return Token("NUM", text[i:j], i, j, value=float(text[i:j])), j


def _is_digit(c: str) -> bool:
    """ASCII digits only: ``str.isdigit`` also accepts superscripts (``⁵``), which ``float``
    cannot read."""
    return "0" <= c <= "9"


def _digits(text: str, i: int, *, allow_point: bool) -> int:
    n = len(text)
    j = i
    while j < n and _is_digit(text[j]):
        j += 1
    if allow_point and j + 1 < n and text[j] == "." and _is_digit(text[j + 1]):
        j += 1
        while j < n and _is_digit(text[j]):
            j += 1
    return j
