"""Every plan form of the issue parses into the stated meaning."""

from __future__ import annotations

import pytest

from tests.conftest import SEEDS
from workoutcheck.plan import (
    LengthKind,
    Progression,
    StepKind,
    Style,
    TargetKind,
    parse_plan,
    print_plan,
)
from workoutcheck.plan.kinds import known_pace

SEED = SEEDS / "track-speedwork-intervals.txt"
SEED_BLOCK = (
    "Workout - Progressive 1k Repeats\n- 15min @ 6'00''/km\n- 4 lots of:\n"
    "- 30s @ 3'00''/km\n- 5 lots of:\n- 1.0km @ 5'30''/km\n- 2min 10s rest\n"
    "- 10min @ 6'00''/km"
)
W, R, WU, CD, RACE = (
    StepKind.WORK,
    StepKind.RECOVERY,
    StepKind.WARMUP,
    StepKind.COOLDOWN,
    StepKind.RACE,
)


def kinds(text: str) -> list[StepKind]:
    return [s.kind for s in parse_plan(text).steps]


def test_reps_with_jog_recovery() -> None:
    """5x1000m @ 3:45/km, 400m jog: five 1000 m reps at 225 s/km, each followed by a jog."""
    plan = parse_plan("5x1000m @ 3:45/km, 400m jog")
    assert kinds("5x1000m @ 3:45/km, 400m jog") == [W, R] * 5
    reps = plan.reps
    assert [s.rep for s in reps] == [1, 2, 3, 4, 5]
    assert all(s.length.meters == 1000 and known_pace(s) == 225 for s in reps)
    jogs = [s for s in plan.steps if s.kind is R]
    assert all(j.length.meters == 400 and j.style is Style.JOG for j in jogs)
    assert [j.optional for j in jogs] == [False] * 4 + [True]
    assert [s.iteration for s in plan.steps] == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


def test_warmup_set_cooldown() -> None:
    """Warm-up and cool-down are inferred because they are slower than the work."""
    plan = parse_plan("15min @ 6:00/km; 5x(1000m @ 3:45/km, 400m jog); 10min @ 6:00/km")
    steps = plan.steps
    assert steps[0].kind is WU and steps[0].length.seconds == 900 and known_pace(steps[0]) == 360
    assert steps[-1].kind is CD and steps[-1].length.seconds == 600
    assert [s.kind for s in steps[1:-1]] == [W, R] * 5
    assert steps[-2].optional  # the last jog before the cool-down may be left out
    assert [s.block for s in steps] == [1] + [2] * 10 + [3]


def test_seed_block_verbatim_from_file() -> None:
    """The seed's "Workout - Progressive 1k Repeats" block parses verbatim, title kept."""
    if not SEED.exists():
        pytest.skip(f"seed text {SEED} not present")
    text = SEED.read_text(encoding="utf-8")
    block = text[text.index("Workout - Progressive 1k Repeats") :]
    assert block.strip() == SEED_BLOCK
    plan = parse_plan(block)
    assert plan.name == "Workout - Progressive 1k Repeats"
    steps = plan.steps
    assert steps[0].kind is WU and steps[0].length.seconds == 900
    assert known_pace(steps[0]) == 360
    short = [s for s in steps if s.kind is W and s.length.seconds == 30]
    assert len(short) == 4 and all(known_pace(s) == 180 for s in short)
    km = [s for s in steps if s.kind is W and s.length.meters == 1000]
    assert len(km) == 5 and all(known_pace(s) == 330 for s in km)
    rests = [s for s in steps if s.kind is R and not s.implicit]
    assert len(rests) == 5 and all(r.length.seconds == 130 and r.style is Style.REST for r in rests)
    assert steps[-1].kind is CD and steps[-1].length.seconds == 600
    assert [s.rep for s in plan.reps] == list(range(1, 10))


def test_seed_repeat_without_recovery_gets_unprescribed_recoveries() -> None:
    """ "4 lots of: 30s" means separate efforts: open recoveries between them and after."""
    steps = parse_plan(SEED_BLOCK).steps
    kinds_ = [(s.kind, s.implicit) for s in steps[1:10]]
    assert kinds_ == [(W, False), (R, True)] * 4 + [(W, False)]
    gaps = [s for s in steps if s.implicit]
    assert len(gaps) == 4 and all(g.length.kind is LengthKind.OPEN and g.optional for g in gaps)


def test_seed_blocks_structure() -> None:
    """Block membership: the 10 min at 6:00/km closes the second block and is top level."""
    plan = parse_plan(SEED_BLOCK)
    assert print_plan(plan) == (
        "Workout - Progressive 1k Repeats\n15min @ 6:00/km; "
        "4x(30s @ 3:00/km); 5x(1km @ 5:30/km, 2min 10s rest); "
        "10min @ 6:00/km"
    )
    assert [type(n).__name__ for n in plan.items] == ["Step", "Repeat", "Repeat", "Step"]


def test_typographic_quotes_in_paces() -> None:
    """6’00’’/km (typographic quotes) reads as 6:00/km."""
    plan = parse_plan("20min @ 6’00’’/km")
    assert known_pace(plan.steps[0]) == 360


def test_time_for_rep_distance() -> None:
    """8 x 400m in 80s: 80 s per 400 m is 200 s/km."""
    plan = parse_plan("8 x 400m in 80s, 400m jog")
    assert len(plan.reps) == 8
    t = plan.reps[0].target
    assert t.kind is TargetKind.REP_TIME and t.amount == 80
    assert known_pace(plan.reps[0]) == 200


def test_time_based_reps_and_recoveries() -> None:
    """6x3min @ 4:00/km, 2min easy: durations in seconds, easy recoveries."""
    plan = parse_plan("6x3min @ 4:00/km, 2min easy")
    assert [s.length.seconds for s in plan.steps] == [180, 120] * 6
    assert all(s.style is Style.EASY for s in plan.steps if s.kind is R)
    assert known_pace(plan.reps[0]) == 240


def test_race_pace_and_equal_rest() -> None:
    """6x400m @ 1K pace, equal rest: a race-pace reference and an "equal" recovery."""
    plan = parse_plan("6x400m @ 1K pace, equal rest")
    rep = plan.reps[0]
    assert rep.target.kind is TargetKind.RACE_PACE and rep.target.race == "1K"
    rec = plan.steps[1]
    assert rec.kind is R and rec.length.kind is LengthKind.EQUAL and rec.style is Style.REST


def test_explicit_progressive_sequence() -> None:
    """An explicit sequence: three reps (the slow first one is rep 1, not a warm-up)."""
    plan = parse_plan("1000m @ 5:30/km, 400m jog, 1000m @ 5:10/km, 400m jog, 1000m @ 4:50/km")
    assert kinds("1000m @ 5:30/km, 400m jog, 1000m @ 5:10/km, 400m jog, 1000m @ 4:50/km") == [
        W,
        R,
        W,
        R,
        W,
    ]
    assert [known_pace(s) for s in plan.reps] == [330, 310, 290]
    assert [s.rep for s in plan.reps] == [1, 2, 3]


def test_progressive_references() -> None:
    """5x1000m @ 10K pace -> 5K pace: each rep carries its place in the progression."""
    plan = parse_plan("5x1000m @ 10K pace -> 5K pace, 400m jog")
    targets = [s.target for s in plan.reps]
    assert all(isinstance(t, Progression) for t in targets)
    assert [(t.index, t.count) for t in targets] == [(i, 5) for i in range(5)]
    assert targets[0].first.race == "10K" and targets[0].last.race == "5K"


def test_time_per_rep_and_pace_per_100m() -> None:
    """4x(300m @ 52s, 100m walk) and 10x200m @ 18s/100m, 200m jog."""
    a = parse_plan("4x(300m @ 52s, 100m walk)")
    assert known_pace(a.reps[0]) == pytest.approx(52 / 0.3)
    assert a.steps[1].style is Style.WALK and a.steps[1].length.meters == 100
    b = parse_plan("10x200m @ 18s/100m, 200m jog")
    assert len(b.reps) == 10 and known_pace(b.reps[0]) == 180
    assert b.reps[0].target.per == "100m"


def test_percent_of_goal() -> None:
    """20min @ 75% goal (main goal) and 5x300m @ 80% 400m goal."""
    a = parse_plan("20min @ 75% goal")
    assert a.steps[0].kind is W and a.steps[0].rep == 1  # a tempo run is rep 1
    assert a.steps[0].target.kind is TargetKind.GOAL_PERCENT
    assert a.steps[0].target.amount == 75 and a.steps[0].target.race is None
    b = parse_plan("5x300m @ 80% 400m goal")
    assert b.reps[0].target.race == "400m" and b.reps[0].target.amount == 80
    c = parse_plan("5x300m @ 80% of 400m goal pace")
    assert c == b


def test_miles_and_tolerances() -> None:
    """6:02/mi, 3:45/km ±3s and @ 4:00/km ±2%."""
    a = parse_plan("4x1mi @ 6:02/mi, 2min rest")
    assert a.reps[0].length.meters == pytest.approx(1609.344)
    assert known_pace(a.reps[0]) == pytest.approx(362 / 1.609344)
    b = parse_plan("5x1000m @ 3:45/km ±3s, 400m jog")
    assert b.reps[0].tolerance.amount == 3 and b.reps[0].tolerance.unit == "s"
    c = parse_plan("3x2km @ 4:00/km ±2%, 3min jog")
    assert c.reps[0].tolerance.amount == 2 and c.reps[0].tolerance.unit == "%"
    d = parse_plan("3x2km @ 4:00/km +/-2%, 3min jog")
    assert d == c


@pytest.mark.parametrize("dist", [400, 1000, 200])
def test_races(dist: int) -> None:
    """400m race, 1000m race, 200m race: one race step."""
    plan = parse_plan(f"{dist}m race")
    assert [(s.kind, s.length.meters, s.rep) for s in plan.steps] == [(RACE, dist, 1)]


@pytest.mark.parametrize(
    "text",
    [
        "5x1000m@3:45/km,400m jog",
        "5 x 1000 m @ 3:45 /km , 400 m jog",
        "5×1000m @ 3:45/km, 400m jog",
        "5X1000M @ 3:45/KM, 400M JOG",
        "5x1km @ 3:45/km, 0.4km jog",
        "5x1000m at 3:45/km, 400m jog",
        "5 times 1000m @ 3:45/km, 400m jog",
        "5x1000 metres @ 3:45/km, 400 meters jog",
        "5 lots of: 1000m @ 3:45/km, 400m jog",
        "5x(1000m @ 3:45/km, 400m jog)",
        "5x( 1000m @ 3'45''/km ,\n 400m jog )",
        "5*1000m @ 3:45/km, 400m jogging",
    ],
)
def test_forgiving_spelling(text: str) -> None:
    """Spaces, x/×, case, unit spellings and brackets do not change the meaning."""
    plan = parse_plan(text)
    assert len(plan.reps) == 5
    assert all(s.length.meters == 1000 and known_pace(s) == 225 for s in plan.reps)
    jogs = [s for s in plan.steps if s.kind is R]
    assert len(jogs) == 5 and all(j.length.meters == pytest.approx(400) for j in jogs)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("30s", 30),
        ("30 sec", 30),
        ("2min", 120),
        ("2 mins", 120),
        ("1h", 3600),
        ("2min 10s", 130),
        ("1:30", 90),
        ("1:02:30", 3750),
        ("1h 5min", 3900),
        ("0.5min", 30),
        ("45 seconds", 45),
        ("2min10s", 130),
    ],
)
def test_duration_units(text: str, seconds: float) -> None:
    """Every duration spelling gives seconds."""
    assert parse_plan(f"{text} @ 4:00/km").steps[0].length.seconds == seconds


@pytest.mark.parametrize(
    ("text", "metres"),
    [
        ("400m", 400),
        ("1km", 1000),
        ("1.0km", 1000),
        ("1k", 1000),
        ("1mi", 1609.344),
        ("2 miles", 3218.688),
        ("0.5 km", 500),
        (".4km", 400),
    ],
)
def test_distance_units(text: str, metres: float) -> None:
    """Every distance spelling gives metres."""
    assert parse_plan(f"{text} @ 4:00/km").steps[0].length.meters == pytest.approx(metres)


@pytest.mark.parametrize(
    ("text", "s_per_km"),
    [
        ("@ 3:45/km", 225),
        ("@ 6'00''/km", 360),
        ("@ 6′00″/km", 360),
        ("@ 72/400", 180),
        ("@ 72s/400m", 180),
        ("@ 18s/100m", 180),
        ("@ 6:02/mi", 362 / 1.609344),
        ("@ 3:45.5/km", 225.5),
        ("@ 3:40-3:50/km", 225),
        ("in 1:30", 225),
        ("@ 90", 225),
        ("@ 1:30", 225),
    ],
)
def test_pace_forms(text: str, s_per_km: float) -> None:
    """Paces per km, mile, 400 m and 100 m, ranges and times for the (400 m) rep."""
    step = parse_plan(f"400m {text}").steps[0]
    assert known_pace(step) == pytest.approx(s_per_km)


@pytest.mark.parametrize(
    ("word", "kind", "style"),
    [
        ("jog", R, Style.JOG),
        ("easy", R, Style.EASY),
        ("rest", R, Style.REST),
        ("walk", R, Style.WALK),
        ("float", R, Style.FLOAT),
        ("recovery", R, Style.RECOVERY),
        ("easy jog", R, Style.JOG),
        ("walk recovery", R, Style.WALK),
        ("wu", WU, None),
        ("warm-up", WU, None),
        ("warm up", WU, None),
        ("cd", CD, None),
        ("cool-down", CD, None),
        ("cool down", CD, None),
        ("race", RACE, None),
        ("work", W, None),
    ],
)
def test_kind_words(word: str, kind: StepKind, style: Style | None) -> None:
    """Kind words after the length mark the step explicitly."""
    step = parse_plan(f"400m {word}").steps[0]
    assert (step.kind, step.style, step.explicit) == (kind, style, True)


def test_kind_word_before_length() -> None:
    """ "warm-up: 15min" and "jog 400m" put the kind first."""
    plan = parse_plan("warm-up: 15min; 3x1000m @ 3:45/km, jog 400m; cd 10min")
    assert plan.steps[0].kind is WU and plan.steps[0].length.seconds == 900
    assert plan.steps[2].kind is R and plan.steps[2].length.meters == 400
    assert plan.steps[-1].kind is CD


def test_untargeted_first_and_last_are_warmup_cooldown() -> None:
    """Untargeted first/last steps around targeted work are warm-up and cool-down."""
    assert kinds("15min; 2x1000m @ 3:45/km, 400m jog; 10min") == [WU, W, R, W, R, CD]


def test_single_work_step_is_rep_one() -> None:
    """A single continuous step is work, rep 1."""
    plan = parse_plan("30min @ 4:30/km")
    assert [(s.kind, s.rep) for s in plan.steps] == [(W, 1)]


def test_nested_repeats() -> None:
    """3x(2x(200m @ 36s, 200m jog), 800m jog): nested blocks expand in order."""
    plan = parse_plan("3x(2x(200m @ 36s, 200m jog), 800m jog)")
    assert [s.length.meters for s in plan.steps] == [200, 200, 200, 200, 800] * 3
    assert [s.iteration for s in plan.steps][:6] == [1, 1, 1, 1, 1, 2]
    assert len(plan.reps) == 6


def test_indented_block_body() -> None:
    """Lines indented under "N lots of:" belong to it; a flush line after it does not."""
    text = "3 lots of:\n  - 1000m @ 3:45/km\n  - 400m jog\n- 1000m @ 3:45/km"
    plan = parse_plan(text)
    assert len(plan.reps) == 4
    assert plan.steps[-1].block == 2


def test_blank_line_closes_flush_block() -> None:
    """A blank line ends a flush "lots of" block."""
    plan = parse_plan("2 lots of:\n- 400m @ 80s\n- 200m jog\n\n- 1000m @ 3:30/km")
    assert [s.length.meters for s in plan.steps] == [400, 200, 400, 200, 1000]


def test_unbracketed_repeat_does_not_absorb_work() -> None:
    """In "4x400m @ 80s, 400m jog, 1000m @ 3:10/km" the 1000 m is not part of the set."""
    plan = parse_plan("4x400m @ 80s, 400m jog, 1000m @ 3:10/km")
    assert len(plan.items) == 2 and len(plan.reps) == 5
    assert plan.steps[-1].block == 2 and plan.steps[-1].iteration is None


def test_trailing_slower_step_is_cooldown() -> None:
    """A trailing unmarked step slower than every rep is the cool-down, even if brisk."""
    plan = parse_plan("4x400m @ 80s, 400m jog, 1000m @ 3:30/km")
    assert plan.steps[-1].kind is CD and len(plan.reps) == 4


def test_open_recovery_word_only() -> None:
    """ "jog" with no length is an open (unprescribed-length) recovery."""
    plan = parse_plan("4x400m @ 80s, jog")
    assert plan.steps[1].length.kind is LengthKind.OPEN and plan.steps[1].style is Style.JOG


def test_title_only_with_more_lines_and_workout_prefix() -> None:
    """A first line is a title only when steps follow; "Workout:" forces a title."""
    assert parse_plan("Tuesday track\n5x400m @ 80s, 200m jog").name == "Tuesday track"
    assert parse_plan("Workout: 5x1k\n5x1km @ 3:45/km, 400m jog").name == "5x1k"
    assert parse_plan("5x400m @ 80s, 200m jog").name is None


def test_race_label_forms() -> None:
    """ "10 km race pace", "5k pace", "mile pace" and "half pace" name races."""
    races = [
        parse_plan(f"1000m @ {r}").steps[0].target.race
        for r in (
            "10 km race pace",
            "5k pace",
            "mile pace",
            "half pace",
            "1500m pace",
            "5000m pace",
        )
    ]
    assert races == ["10K", "5K", "mile", "half", "1500m", "5K"]
