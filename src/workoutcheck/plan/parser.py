"""Plan text -> ``Plan``: ``parse_plan``, and the recursive-descent step grammar it drives
(grammar in docs/plan-language.md).

Hand-written rather than generated so every failure can say, at the exact column, what was
expected ("a distance or a duration unit") instead of listing grammar tokens. The title line
and steps and repeats are parsed here, targets in ``targets``; line structure ("N lots of:"
blocks of bullet lines) in ``blocks``; warm-up/cool-down inference and flattening in
``kinds``; runaway plans are refused by ``limits``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from workoutcheck.errors import PlanSyntaxError
from workoutcheck.plan.blocks import read_blocks
from workoutcheck.plan.kinds import flatten, infer_kinds
from workoutcheck.plan.lexer import tokenize
from workoutcheck.plan.limits import MAX_DEPTH, check_limits
from workoutcheck.plan.model import (
    Length,
    LengthKind,
    Node,
    Progression,
    Repeat,
    Step,
    StepKind,
    Style,
    Target,
    TargetKind,
    Tolerance,
)
from workoutcheck.plan.printer import Plan, print_node
from workoutcheck.plan.targets import TargetGrammar
from workoutcheck.plan.vocab import (
    BETWEEN_WORDS,
    DIST_UNITS,
    EFFORT_WORDS,
    FIRST_WORD,
    KEYWORDS,
    KINDS,
    NAMED_SESSIONS,
    REPEAT_WORDS,
    RETURN_WORDS,
    STYLE_ORDER,
    STYLES,
    TERRAIN_WORDS,
    TIME_UNITS,
    TWO_WORD_KINDS,
    UNIT_HELP,
)

if TYPE_CHECKING:
    from workoutcheck.plan.lexer import Token

__all__ = ["KEYWORDS", "StepParser", "parse_plan", "split_title"]


_TERRAIN, _SETS, _REPS = "<terrain>", "<between sets>", "<between reps>"
SHORT_RECOVERY_S = 300.0  # an unmarked step after the reps this short is their recovery
SHORT_RECOVERY_M = 1000.0


def parse_plan(text: str) -> Plan:
    """Parse plan text into a Plan; raises PlanSyntaxError pointing at the offending column."""
    if not text.strip():
        raise PlanSyntaxError(
            text=text, offset=0, expected="a step (e.g. 5x1000m @ 3:45/km)", found="an empty plan"
        )
    name, start = split_title(text)
    parser = StepParser(text, tokenize(text, start))
    items = read_blocks(parser)
    notes = parser.notes
    tree = infer_kinds(tuple(items), notes=notes)
    check_limits(tree, text)  # before flatten: a runaway plan is refused, never expanded
    return Plan(tree, flatten(tree), name, source=text, notes=tuple(notes))


def split_title(text: str) -> tuple[str | None, int]:
    """(title, offset where steps start): the first line is a title when more lines follow
    and it starts with a word that is not a step keyword ("Workout - Progressive 1k Repeats");
    ``Workout: <name>`` forces any name."""
    if sum(1 for ln in text.splitlines() if ln.strip()) < 2:
        return None, 0
    offset = len(text) - len(text.lstrip())
    end = text.find("\n", offset)
    line = text[offset:end].strip()
    if line.lower().startswith("workout:"):
        return line[8:].strip() or None, end
    m = FIRST_WORD.match(line)
    if not m or m.group(0).lower() in KEYWORDS or m.group(0).lower() == "x":
        return None, 0
    return line.rstrip(":").strip(), end


class StepParser(TargetGrammar):
    """The step-level grammar; ``parse_plan`` has ``blocks`` drive it line by line."""

    depth = 0  # open "(" groups, bounded so "2x(" nested thousands deep cannot exhaust the stack

    def __init__(self, text: str, tokens: list[Token]) -> None:
        super().__init__(text, tokens)
        self.notes: list[str] = []  # how ambiguous forms were read
        self.set_recoveries: set[tuple[int, int] | None] = set()  # spans of "between sets"

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

    def item(self, *, nested: bool = False) -> Node:
        start = self.tok.start
        named = self.named_session()
        if named is not None:
            return named
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
        mark = self.i
        inner = self.repeat_count() is not None  # "3 sets of 4x400m ...": a repeat of repeats
        self.i = mark
        body: list[Node] = [self.item(nested=True) if inner else self.step()]  # type: ignore[no-redef]
        while self.tok.is_sym(","):  # "5x1000m @ 3:45/km, 400m jog": the jog is in the set
            mark = self.i
            self.take()
            try:
                nxt = self.step()
            except PlanSyntaxError:
                self.i = mark
                break
            if nested and nxt.span in self.set_recoveries:
                self.i = mark  # "3min between sets" belongs to the sets, not to this repeat
                break
            nxt = self.trailing_recovery(body[0], nxt)  # type: ignore[assignment]
            if nxt is None:
                self.i = mark
                break
            body.append(nxt)
        return Repeat(
            count, tuple(self.between_sets(body)), span=(start, self.toks[self.i - 1].end)
        )

    def trailing_recovery(self, rep: Node, nxt: Step) -> Step | None:
        """The step after a repeat's rep if it belongs in the set: any recovery, or an unmarked,
        untargeted short step ("5x1000m @ 3:45/km, 90s": 90 s is the recovery after each rep)."""
        if nxt.kind is StepKind.RECOVERY:
            return nxt
        if nxt.explicit or nxt.target is not None or not isinstance(rep, Step):
            return None
        secs, metres = nxt.length.seconds, nxt.length.meters
        if not (
            (secs is not None and secs <= SHORT_RECOVERY_S)
            or (metres is not None and metres <= SHORT_RECOVERY_M)
        ):
            return None
        self.note(f'"{self.source(nxt)}" after the reps read as the recovery after each rep')
        return replace(nxt, kind=StepKind.RECOVERY, style=Style.RECOVERY, explicit=True)

    def between_sets(self, body: list[Node]) -> list[Node]:
        """``3 sets of 4x400m, 60s rest, 3min between sets``: the set recovery takes the place
        of the last rep's rest, so each set is 3x(400m, 60s rest), 400m, 3min rest."""
        if (
            len(body) < 2
            or not isinstance(body[0], Repeat)
            or not isinstance(body[1], Step)
            or body[1].span not in self.set_recoveries
        ):
            return body
        inner = body[0]
        k = len(inner.body)
        while k and isinstance(end := inner.body[k - 1], Step) and end.kind is StepKind.RECOVERY:
            k -= 1
        if k == len(inner.body) or k == 0:
            return body
        last = list(inner.body[:k])
        rest = self.source(inner.body[-1]) if isinstance(inner.body[-1], Step) else "rest"
        self.note(
            f'"{self.source(body[1])}" read as the recovery after each set\'s last rep, '
            f'in place of its "{rest}"'
        )
        head: list[Node] = []
        if inner.count > 2:
            head = [Repeat(inner.count - 1, inner.body)]
        elif inner.count == 2:
            head = list(inner.body)
        return head + last + body[1:]

    def named_session(self) -> Repeat | None:
        """``strides``, ``6 strides``, ``hill sprints``: a session named by its efforts, read
        with the usual count and length (and a note saying so)."""
        k, count = 0, None
        if self.tok.kind == "NUM" and self.tok.value.is_integer() and self.tok.value >= 1:
            k, count = 1, int(self.tok.value)
        words = []  # type: ignore[var-annotated]
        while self.ahead(k).kind == "WORD" and len(words) < 2:
            words.append(self.ahead(k).text.lower())
            k += 1
        if words and words[0] in TERRAIN_WORDS and len(words) == 2 and words[1] in EFFORT_WORDS:
            name = "hill-sprints"
        elif words and words[0] in EFFORT_WORDS:
            name, k = "strides", k - len(words) + 1
        else:
            return None
        end = self.ahead(k)
        if not (end.kind in ("NL", "EOF", "BULLET") or end.is_sym(",", ";", ")")):
            return None
        start = self.tok.start
        self.i += k
        default, seconds, terrain, style = NAMED_SESSIONS[name]
        text = self.text[start : self.toks[self.i - 1].end]
        body: list[Node] = [
            Step(
                StepKind.WORK,
                Length.duration(seconds, "s"),
                explicit=True,
                terrain=terrain,
                span=(start, self.toks[self.i - 1].end),
            )
        ]
        rest = "a recovery as needed"
        if style is not None:
            body.append(
                Step(StepKind.RECOVERY, Length(LengthKind.OPEN), style=style, explicit=True)
            )
            rest = f"{style.value} back"
        n = count or default
        self.note(
            f'"{text}" read as {n}x{seconds:g}s {"uphill " if terrain else ""}efforts '
            f'with {rest} (write e.g. "{n}x{seconds:g}s {name.replace("-", " ")}" '
            "to say how many and how long)"
        )
        return Repeat(n, tuple(body), span=(start, self.toks[self.i - 1].end))

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def source(self, node: Node) -> str:
        """The text a parsed node came from (its canonical print if it has no span)."""
        if node.span is None:
            return print_node(node)
        return " ".join(self.text[node.span[0] : node.span[1]].split())

    # --- steps ---------------------------------------------------------------------------
    def step(self) -> Step:
        start = self.tok.start
        words: list[tuple[str, Token]] = []
        self.kind_words(words)
        if words and self.tok.is_sym(":"):
            self.take()
        length = self.length(optional=bool(words))
        self.kind_words(words)
        target_tok = self.tok
        target = self.target()
        if length.kind is not LengthKind.DISTANCE and _has_rep_time(target):
            raise self.fail(
                "a pace such as 3:45/km: a time for the rep (in 80s) needs a "
                "distance rep (400m in 80s)",
                target_tok,
            )
        self.kind_words(words)
        tolerance = self.tolerance() if target is not None else None
        self.kind_words(words)
        step = self.build(words, length, target, tolerance, start)
        if self.tok.kind == "WORD":
            raise self.fail(
                "a step kind (jog, easy, rest, walk, float, recovery, wu, cd, "
                'race), "@" and a target, or "," between steps'
            )
        if self.tok.kind in ("NUM", "CLOCK") or self.tok.is_sym("@", "±", "%", "/"):
            raise self.fail('"," or ";" between steps')
        return step

    def kind_words(self, out: list[tuple[str, Token]]) -> None:
        """Append the kind, style and terrain words at the cursor to ``out``; words that only
        say where a recovery goes ("jog down", "walk back") are read and dropped."""
        while self.tok.kind == "WORD":
            w = self.tok.text.lower()
            nxt = self.ahead()
            pair = (w, nxt.text.lower())
            if pair in TWO_WORD_KINDS and nxt.kind == "WORD":
                out.append(("-".join(pair), self.tok))
                self.i += 2
            elif w in STYLES or w in KINDS:
                out.append((w, self.take()))
            elif w in EFFORT_WORDS:
                out.append(("work", self.take()))
            elif w in TERRAIN_WORDS:
                out.append((_TERRAIN, self.take()))
            elif w in RETURN_WORDS and out and out[-1][0] in STYLES:
                self.take()
            elif w == "between" and nxt.kind == "WORD" and nxt.text.lower() in BETWEEN_WORDS:
                out.append(
                    (_SETS if BETWEEN_WORDS[nxt.text.lower()] == "sets" else _REPS, self.tok)
                )
                self.i += 2
            else:
                break

    def build(
        self,
        words: list[tuple[str, Token]],
        length: Length,
        target: Target | Progression | None,
        tolerance: Tolerance | None,
        start: int,
    ) -> Step:
        terrain = next((TERRAIN_WORDS[tok.text.lower()] for w, tok in words if w == _TERRAIN), None)
        between = next((w for w, _ in words if w in (_SETS, _REPS)), None)
        has_effort = any(tok.text.lower() in EFFORT_WORDS for _, tok in words)
        words = [(w, tok) for w, tok in words if w not in (_TERRAIN, _SETS, _REPS)]
        if between is not None and not any(w in STYLES for w, _ in words):
            words.append(("recovery", self.toks[self.i - 1]))
        if has_effort and length.kind is LengthKind.OPEN:
            length = Length.duration(NAMED_SESSIONS["hill-sprints" if terrain else "strides"][1])
            self.note(
                f'"{self.text[start : self.toks[self.i - 1].end]}" read as '
                f"{length.amount:g}s efforts"
            )
        kinds = [
            (KINDS.get(w) or TWO_WORD_KINDS.get(tuple(w.split("-")), None), tok)  # type: ignore[arg-type]
            for w, tok in words
        ]
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
                raise self.fail('a recovery word after "equal" (rest, jog, walk...)', named[0][1])
            kind, style = StepKind.RECOVERY, style or Style.RECOVERY
        step = Step(
            kind,
            length,
            target,
            tolerance,
            style,
            explicit=bool(words) or length.kind is LengthKind.EQUAL,
            terrain=terrain,
            span=span,
        )
        if between == _SETS:
            self.set_recoveries.add(span)
        return step

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
