"""Recursive-descent parser for plan text (grammar in docs/plan-language.md).

Hand-written rather than generated so every failure can say, at the exact column, what was
expected ("a distance or a duration unit") instead of listing grammar tokens. Steps and
repeats are parsed here, targets in ``targets``; line structure ("N lots of:" blocks of
bullet lines) in ``blocks``; warm-up/cool-down inference and flattening in ``kinds``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workoutcheck.errors import PlanSyntaxError
from workoutcheck.plan.model import (
    Length, LengthKind, Node, Progression, Repeat, Step, StepKind, Style, Target, TargetKind,
    Tolerance,
)
from workoutcheck.plan.limits import MAX_DEPTH
from workoutcheck.plan.targets import TargetGrammar
from workoutcheck.plan.vocab import (
    DIST_UNITS, KEYWORDS, KINDS, REPEAT_WORDS, STYLE_ORDER, STYLES, TIME_UNITS, TWO_WORD_KINDS,
    UNIT_HELP,
)

if TYPE_CHECKING:
    from workoutcheck.plan.lexer import Token

__all__ = ["KEYWORDS", "StepParser"]


class StepParser(TargetGrammar):
    """The step-level grammar; ``blocks`` drives it line by line."""

    depth = 0  # open "(" groups, bounded so "2x(" nested thousands deep cannot exhaust the stack

    # --- sequences and repeats ---------------------------------------------------------
    def sequence(self, *, in_group: bool) -> list[Node]:
        """item ((',' | ';' | newline-in-group) item)*"""
        items: list[Node] = []
        while True:
            items.append(self.item())
            if self.tok.is_sym(",", ";"):
                self.take()
                if in_group:
                    self.skip_breaks()
                continue
            if in_group and self.tok.kind in ("NL", "BULLET"):
                self.skip_breaks()
                if self.tok.is_sym(")"):
                    return items
                continue
            return items

    def repeat_count(self) -> tuple[int, Token] | None:
        """``N x`` / ``N lots of`` / ``N times``: the count, or None (cursor unchanged)."""
        tok = self.tok
        if tok.kind != "NUM":
            return None
        nxt = self.ahead()
        if nxt.is_sym("x"):
            width = 2
        elif nxt.kind == "WORD" and nxt.text.lower() in REPEAT_WORDS:
            of = REPEAT_WORDS[nxt.text.lower()]
            width = 3 if of and self.ahead(2).is_word(of) else 2
            if of and width == 2:
                return None
        else:
            return None
        if not tok.value.is_integer() or tok.value < 1:
            raise self.fail("a whole number of repeats (1 or more)", tok)
        self.i += width
        return int(tok.value), tok

    def item(self) -> Node:
        start = self.tok.start
        counted = self.repeat_count()
        if counted is None:
            return self.step()
        count, _ = counted
        if self.tok.is_sym(":"):
            self.take()
        if self.tok.is_sym("("):
            if self.depth >= MAX_DEPTH:
                raise self.fail(f"at most {MAX_DEPTH} repeats inside each other")
            self.take()
            self.skip_breaks()
            self.depth += 1
            body = self.sequence(in_group=True)
            self.depth -= 1
            if not self.tok.is_sym(")"):
                raise self.fail('"," or ")" to close the repeat')
            self.take()
            return Repeat(count, tuple(body), span=(start, self.toks[self.i - 1].end))
        body = [self.step()]
        while self.tok.is_sym(","):  # "5x1000m @ 3:45/km, 400m jog": the jog is in the set
            mark = self.i
            self.take()
            try:
                nxt = self.step()
            except PlanSyntaxError:
                self.i = mark
                break
            if nxt.kind is not StepKind.RECOVERY:
                self.i = mark
                break
            body.append(nxt)
        return Repeat(count, tuple(body), span=(start, self.toks[self.i - 1].end))

    # --- steps ---------------------------------------------------------------------------
    def step(self) -> Step:
        start = self.tok.start
        words = self.kind_words()
        if words and self.tok.is_sym(":"):
            self.take()
        length = self.length(optional=bool(words))
        words += self.kind_words()
        target_tok = self.tok
        target = self.target()
        if length.kind is not LengthKind.DISTANCE and _has_rep_time(target):
            raise self.fail("a pace such as 3:45/km: a time for the rep (in 80s) needs a "
                            "distance rep (400m in 80s)", target_tok)
        words += self.kind_words()
        tolerance = self.tolerance() if target is not None else None
        words += self.kind_words()
        step = self.build(words, length, target, tolerance, start)
        if self.tok.kind == "WORD":
            raise self.fail("a step kind (jog, easy, rest, walk, float, recovery, wu, cd, "
                            'race), "@" and a target, or "," between steps')
        if self.tok.kind in ("NUM", "CLOCK") or self.tok.is_sym("@", "±", "%", "/"):
            raise self.fail('"," or ";" between steps')
        return step

    def kind_words(self) -> list[tuple[str, Token]]:
        out: list[tuple[str, Token]] = []
        while self.tok.kind == "WORD":
            w = self.tok.text.lower()
            pair = (w, self.ahead().text.lower())
            if pair in TWO_WORD_KINDS and self.ahead().kind == "WORD":
                out.append(("-".join(pair), self.tok))
                self.i += 2
            elif w in STYLES or w in KINDS:
                out.append((w, self.take()))
            else:
                break
        return out

    def build(self, words: list[tuple[str, Token]], length: Length,
              target: Target | Progression | None, tolerance: Tolerance | None,
              start: int) -> Step:
        kinds = [(KINDS.get(w) or TWO_WORD_KINDS.get(tuple(w.split("-")), None), tok)
                 for w, tok in words]
        named = [(k, tok) for k, tok in kinds if k is not None]
        styles = [STYLES[w] for w, _ in words if w in STYLES]
        span = (start, self.toks[self.i - 1].end)
        for k, tok in named[1:]:
            if k is not named[0][0]:
                raise self.fail(f'one kind of step (already "{named[0][1].text}")', tok)
        if named:
            kind, style = named[0][0], None
        elif styles:
            kind = StepKind.RECOVERY
            style = min(styles, key=STYLE_ORDER.index)
        else:
            kind, style = StepKind.WORK, None
        if length.kind is LengthKind.EQUAL:
            if kind is not StepKind.RECOVERY and named:
                raise self.fail("a recovery word after \"equal\" (rest, jog, walk...)",
                                named[0][1])
            kind, style = StepKind.RECOVERY, style or Style.RECOVERY
        return Step(kind, length, target, tolerance, style, explicit=bool(words) or
                    length.kind is LengthKind.EQUAL, span=span)

    def length(self, *, optional: bool) -> Length:
        tok = self.tok
        if tok.is_word("equal"):
            self.take()
            return Length(LengthKind.EQUAL)
        if tok.is_word("open"):
            self.take()
            return Length(LengthKind.OPEN)
        if tok.kind == "CLOCK":
            self.take()
            return Length.duration(tok.value, "s")
        if tok.kind != "NUM":
            if optional:
                return Length(LengthKind.OPEN)
            raise self.fail("a step: a distance or a duration (400m, 3min, 1:30)")
        unit_tok = self.ahead()
        unit = unit_tok.text.lower() if unit_tok.kind == "WORD" else ""
        if unit in DIST_UNITS:
            self.i += 2
            return Length.distance(tok.value, DIST_UNITS[unit])
        if unit not in TIME_UNITS:
            raise self.fail(UNIT_HELP, unit_tok)
        self.i += 2
        total, parts, last = tok.value, 1, TIME_UNITS[unit]
        scale = {"h": 3600.0, "min": 60.0, "s": 1.0}
        total *= scale[last]
        while self.tok.kind == "NUM" and self.ahead().kind == "WORD":
            nxt = TIME_UNITS.get(self.ahead().text.lower())
            if nxt is None or scale[nxt] >= scale[last]:
                break
            total += self.tok.value * scale[nxt]
            last, parts = nxt, parts + 1
            self.i += 2
        if parts == 1:
            return Length.duration(tok.value, TIME_UNITS[unit])
        return Length.duration(total, "s")


def _has_rep_time(target: Target | Progression | None) -> bool:
    parts = (target.first, target.last) if isinstance(target, Progression) else (target,)
    return any(t is not None and t.kind is TargetKind.REP_TIME for t in parts)
