"""Grammar of targets and tolerances (``@ 3:45/km``, ``in 80s``, ``@ 5K pace``, ``±3s``).

Split from the step grammar to keep each module to one job; ``StepParser`` inherits it.
The token cursor lives here too because both grammars move the same cursor.
"""

from __future__ import annotations

from workoutcheck.errors import PlanSyntaxError
from workoutcheck.plan.lexer import Token, describe
from workoutcheck.plan.limits import MAX_METERS
from workoutcheck.plan.model import MILE_M, Progression, Target, TargetKind, Tolerance
from workoutcheck.plan.paces import race_distance, race_label
from workoutcheck.plan.vocab import (
    DIST_UNITS,
    HR_MAX_BPM,
    HR_MIN_BPM,
    HR_ZONES,
    KINDS,
    NAMED_RACES,
    STYLES,
    TARGET_HELP,
    TIME_UNITS,
)


class Cursor:
    """A position in the token list, with the error helper every rule uses."""

    def __init__(self, text: str, tokens: list[Token]) -> None:
        self.text, self.toks, self.i = text, tokens, 0

    # --- cursor -------------------------------------------------------------------------
    @property
    def tok(self) -> Token:
        return self.toks[self.i]

    def ahead(self, k: int = 1) -> Token:
        return self.toks[min(self.i + k, len(self.toks) - 1)]

    def take(self) -> Token:
        tok = self.toks[self.i]
        self.i = min(self.i + 1, len(self.toks) - 1)
        return tok

    def fail(self, expected: str, tok: Token | None = None) -> PlanSyntaxError:
        tok = tok or self.tok
        return PlanSyntaxError(
            text=self.text, offset=tok.start, expected=expected, found=describe(tok)
        )

    def skip_breaks(self) -> None:
        while self.tok.kind in ("NL", "BULLET"):
            self.take()


class TargetGrammar(Cursor):
    """Target and tolerance rules."""

    def target(self) -> Target | Progression | None:
        if self.tok.is_word("in"):
            self.take()
            at = self.tok
            first = self.pace_expr()
            if first.kind is not TargetKind.REP_TIME:
                raise self.fail('a time for the rep after "in" (80s, 1:20)', at)
            return first
        if not (self.tok.is_sym("@") or self.tok.is_word("at")):
            return None
        self.take()
        first = self.pace_expr()
        if self.tok.is_sym("->") or self.tok.is_word("to"):
            self.take()
            return Progression(first, self.pace_expr())
        return first

    def pace_expr(self) -> Target:
        heart = self.heart_expr()
        if heart is not None:
            return heart
        tok, nxt = self.tok, self.ahead()
        if tok.kind == "CLOCK":
            self.take()
            if self.tok.is_sym("-") and self.ahead().kind == "CLOCK":
                self.take()
                slow = self.take().value
                if not self.tok.is_sym("/"):
                    raise self.fail('"/km", "/mi" or "/100m" after the pace range')
                return Target(TargetKind.PACE, tok.value, self.per(), amount_to=slow)
            if self.tok.is_sym("/"):
                return Target(TargetKind.PACE, tok.value, self.per())
            return Target(TargetKind.REP_TIME, tok.value)
        if tok.kind == "NUM" and nxt.is_sym("%"):
            self.i += 2
            if self.tok.is_word("of"):
                self.take()
            race = self.race_label_opt()
            if not self.tok.is_word("goal"):
                raise self.fail('"goal" after the percentage (75% goal, 80% 400m goal)')
            self.take()
            if self.tok.is_word("pace"):
                self.take()
            if not 0 < tok.value <= 200:
                raise self.fail("a percentage between 0 and 200", tok)
            return Target(TargetKind.GOAL_PERCENT, tok.value, race=race)
        race = self.race_label_opt()
        if race is not None or tok.is_word("goal"):
            if self.tok.is_word("goal"):
                self.take()
                if self.tok.is_word("pace"):
                    self.take()
                return Target(TargetKind.GOAL_PERCENT, 100.0, race=race)
            if self.tok.is_word("race"):
                self.take()
            if not self.tok.is_word("pace"):
                raise self.fail(f'"pace" after the race distance ({race} pace)')
            self.take()
            return Target(TargetKind.RACE_PACE, race=race)
        if tok.kind == "NUM" and nxt.kind == "WORD" and nxt.text.lower() in DIST_UNITS:
            raise self.fail(
                f'"pace" after the race distance ({tok.text}{nxt.text} pace)', self.ahead(2)
            )
        if tok.kind == "NUM":
            self.take()
            if self.tok.kind == "WORD" and TIME_UNITS.get(self.tok.text.lower()) == "s":
                self.take()
            if self.tok.is_sym("/"):
                return Target(TargetKind.PACE, tok.value, self.per())
            if (
                self.tok.kind == "WORD"
                and self.tok.text.lower() not in STYLES
                and self.tok.text.lower() not in KINDS
                and not self.tok.is_word("to")
            ):
                raise self.fail(
                    '"s" for seconds, "/km" after a pace, or a race distance such as 5K pace'
                )
            if tok.value <= 0:
                raise self.fail("a time above zero", tok)
            return Target(TargetKind.REP_TIME, tok.value)
        raise self.fail(TARGET_HELP)

    def heart_expr(self) -> Target | None:
        """``150-160bpm``, ``155bpm`` or a zone ``Z4`` / ``zone 4``, else None (not consumed)."""
        tok, nxt = self.tok, self.ahead()
        if tok.is_word("z", "zone") and nxt.kind == "NUM":
            if not (nxt.value.is_integer() and 1 <= nxt.value <= HR_ZONES):
                raise self.fail(f"a heart-rate zone from 1 to {HR_ZONES} (Z1-Z{HR_ZONES})", nxt)
            self.i += 2
            return Target(TargetKind.HR_ZONE, nxt.value)
        if tok.kind != "NUM":
            return None
        if nxt.is_word("bpm"):
            self.i += 2
            return Target(TargetKind.HEART_RATE, self._bpm(tok))
        if nxt.is_sym("-") and self.ahead(2).kind == "NUM" and self.ahead(3).is_word("bpm"):
            low, high = tok, self.ahead(2)
            self.i += 4
            a, b = sorted((self._bpm(low), self._bpm(high)))
            if a == b:
                raise self.fail("a heart-rate range whose ends differ (150-160bpm)", high)
            return Target(TargetKind.HEART_RATE, a, amount_to=b)
        return None

    def _bpm(self, tok: Token) -> float:
        if not HR_MIN_BPM <= tok.value <= HR_MAX_BPM:
            raise self.fail(f"a heart rate from {HR_MIN_BPM} to {HR_MAX_BPM} bpm", tok)
        return tok.value

    def race_label_opt(self) -> str | None:
        """A race distance followed by pace/goal/race ("5K", "10 km", "mile"), else None."""
        tok, nxt = self.tok, self.ahead()
        if (
            tok.kind == "WORD"
            and tok.text.lower() in NAMED_RACES
            and self.ahead().is_word("pace", "race", "goal")
        ):
            self.take()
            return race_label(race_distance(tok.text) or MILE_M)
        if (
            tok.kind == "NUM"
            and nxt.kind == "WORD"
            and nxt.text.lower() in DIST_UNITS
            and self.ahead(2).is_word("pace", "race", "goal")
        ):
            self.i += 2
            dist = tok.value * {"m": 1.0, "km": 1000.0, "mi": MILE_M}[DIST_UNITS[nxt.text.lower()]]
            if dist <= 0:
                raise self.fail("a race distance above zero", tok)
            if not dist <= MAX_METERS:  # "9" 400 times is inf, whose label reads back as nothing
                raise self.fail(f"a race distance of at most {MAX_METERS / 1000:g} km", tok)
            return race_label(dist)
        return None

    def per(self) -> str:
        self.take()  # "/"
        tok = self.tok
        if tok.kind == "WORD" and DIST_UNITS.get(tok.text.lower()) in ("km", "mi"):
            self.take()
            return DIST_UNITS[tok.text.lower()]
        if tok.kind == "NUM" and tok.value > 0:
            self.take()
            unit = "m"
            if self.tok.kind == "WORD" and self.tok.text.lower() in DIST_UNITS:
                unit = DIST_UNITS[self.take().text.lower()]
            metres = tok.value * {"m": 1.0, "km": 1000.0, "mi": MILE_M}[unit]
            if metres <= MAX_METERS:  # not inf ("/999...9"), which would print as "infm"
                return {1000.0: "km", MILE_M: "mi"}.get(
                    metres, race_label(metres) if metres < 1000 else f"{metres:g}m"
                )
        raise self.fail("km, mi or a distance such as 100m after /", tok)

    def tolerance(self) -> Tolerance | None:
        if not self.tok.is_sym("±"):
            return None
        self.take()
        tok = self.tok
        if tok.kind != "NUM":
            raise self.fail("a tolerance such as ±3s or ±2%")
        self.take()
        if self.tok.is_sym("%"):
            self.take()
            return Tolerance(tok.value, "%")
        if self.tok.kind == "WORD" and TIME_UNITS.get(self.tok.text.lower()) == "s":
            self.take()
            per = self.per() if self.tok.is_sym("/") else None
            return Tolerance(tok.value, "s", per)
        raise self.fail('"s" or "%" after the tolerance (±3s, ±2%)')
