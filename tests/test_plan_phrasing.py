"""Plans as coaches type them: each form parses to what the coach meant, pinned by its step
table (kind, rep, length, target), and the ambiguous ones say how they were read."""

from __future__ import annotations

import pytest

from workoutcheck.plan import parse_plan, print_plan, resolve


def table(text: str) -> list[str]:
    """One cell per flattened step: kind[rep] length [target] [uphill] [optional]."""
    out = []
    for s in parse_plan(text).steps:
        cell = s.kind.value + (str(s.rep) if s.rep else "")
        if s.length.meters is not None:
            cell += f" {s.length.meters:g}m"
        elif s.length.seconds is not None:
            cell += f" {s.length.seconds:g}s"
        else:
            cell += " open"
        if s.style is not None:
            cell += f" {s.style.value}"
        if s.target is not None:
            cell += " @" + ("" if s.target.kind.value == "pace" else "t") + f"{s.target.amount:g}"
        if s.terrain:
            cell += f" {s.terrain}"
        if s.implicit:
            cell += " implicit"
        out.append(cell)
    return out


def times(n: int, *cells: str) -> list[str]:
    """``cells`` repeated n times, reps numbered from 1 ("work{}" is filled in)."""
    return [c.format(i) for i in range(1, n + 1) for c in cells]


def test_hill_reps_with_jog_down() -> None:
    assert table("8x90s uphill, jog down") == times(8, "work{} 90s uphill", "recovery open jog")
    rp = resolve(parse_plan("8x90s uphill, jog down"))
    assert rp.reps[0].terrain == "uphill" and rp.reps[0].pace_s_per_km is None


def test_rep_time_and_walk_back() -> None:
    assert table("10x100m in 15s, walk back") == times(10, "work{} 100m @t15", "recovery open walk")


def test_rep_time_with_at_and_float() -> None:
    assert table("6x200m @ 32s, 200m float") == times(6, "work{} 200m @t32", "recovery 200m float")
    assert resolve(parse_plan("6x200m @ 32s, 200m float")).reps[0].pace_s_per_km == 160


def test_standing_rest() -> None:
    assert table("4x(1km @ 3:50/km, 90s standing)") == times(
        4, "work{} 1000m @230", "recovery 90s rest"
    )
    assert resolve(parse_plan("4x(1km @ 3:50/km, 90s standing)")).steps[1].stationary_ok


def test_sets_with_a_recovery_between_them() -> None:
    text = "3 sets of 4x400m @ 72s, 60s rest, 3min between sets"
    one_set = ["work{} 400m @t72", "recovery 60s rest"] * 3 + [
        "work{} 400m @t72",
        "recovery 180s recovery",
    ]
    want, rep = [], 0
    for _ in range(3):
        for cell in one_set:
            if cell.startswith("work"):
                rep += 1
            want.append(cell.format(rep))
    assert table(text) == want
    plan = parse_plan(text)
    assert plan.notes == (
        '"3min between sets" read as the recovery after each set\'s last rep, '
        'in place of its "60s rest"',
    )
    assert parse_plan(print_plan(plan)) == plan


def test_strides_alone_get_the_usual_count_and_a_note() -> None:
    assert table("strides") == [
        "work1 20s",
        "recovery open recovery implicit",
        "work2 20s",
        "recovery open recovery implicit",
        "work3 20s",
        "recovery open recovery implicit",
        "work4 20s",
        "recovery open recovery implicit",
        "work5 20s",
        "recovery open recovery implicit",
        "work6 20s",
    ]
    assert "6x20s" in parse_plan("strides").notes[0]


def test_counted_strides() -> None:
    assert table("6 x 20s strides") == table("strides")
    assert parse_plan("6 x 20s strides").notes == ()
    assert table("4 strides")[0] == "work1 20s" and len(parse_plan("4 strides").reps) == 4


def test_hill_sprints() -> None:
    assert table("hill sprints") == times(8, "work{} 10s uphill", "recovery open walk")
    assert "8x10s uphill" in parse_plan("hill sprints").notes[0]
    assert table("6x10s hill sprints, walk back") == times(
        6, "work{} 10s uphill", "recovery open walk"
    )


def test_untargeted_step_after_the_reps_is_their_recovery() -> None:
    text = "5x1000m @ 3:45/km, 90s"
    assert table(text) == times(5, "work{} 1000m @225", "recovery 90s recovery")
    assert parse_plan(text).notes == ('"90s" after the reps read as the recovery after each rep',)
    # a long easy step stays the cool-down
    assert table("5x1000m @ 3:45/km, 15min")[-1] == "cooldown 900s"


def test_seed_session_on_one_line() -> None:
    one = (
        "15min @ 6'00''/km; 4 lots of: 30s @ 3'00''/km; 5 lots of: 1.0km @ 5'30''/km; "
        "2min 10s rest; 10min @ 6'00''/km"
    )
    many = (
        "15min @ 6'00''/km\n4 lots of:\n30s @ 3'00''/km\n5 lots of:\n1.0km @ 5'30''/km\n"
        "2min 10s rest\n10min @ 6'00''/km"
    )
    want = (
        ["warmup 900s @360"]
        + [c for i in range(1, 5) for c in (f"work{i} 30s @180", "recovery open recovery implicit")]
        + [c for i in range(5, 10) for c in (f"work{i} 1000m @330", "recovery 130s rest")]
        + ["cooldown 600s @360"]
    )
    assert table(one) == want
    assert parse_plan(one) == parse_plan(many) == parse_plan(one.replace(";", ","))


def test_slow_opening_step_is_the_warmup_wherever_it_stands() -> None:
    text = "15min @ 6:00/km, 2min jog, 5x1000m @ 3:45/km, 400m jog"
    assert table(text)[:3] == ["warmup 900s @360", "recovery 120s jog", "work1 1000m @225"]
    assert "read as the warm-up" in parse_plan(text).notes[0]
    # a progression's slow first rep is still rep 1
    assert table("1000m @ 5:30/km, 400m jog, 1000m @ 5:10/km")[0] == "work1 1000m @330"


@pytest.mark.parametrize(
    "text",
    [
        "8x90s uphill, jog down",
        "10x100m in 15s, walk back",
        "4x(1km @ 3:50/km, 90s standing)",
        "3 sets of 4x400m @ 72s, 60s rest, 3min between sets",
        "strides",
        "6 x 20s strides",
        "hill sprints",
        "5x1000m @ 3:45/km, 90s",
    ],
)
def test_printed_forms_read_back(text: str) -> None:
    plan = parse_plan(text)
    assert parse_plan(print_plan(plan)) == plan


def test_notes_reach_the_resolved_plan_and_check() -> None:
    rp = resolve(parse_plan("5x1000m @ 3:45/km, 90s"))
    assert rp.notes == ('"90s" after the reps read as the recovery after each rep',)
    from workoutcheck.plan import plan_dict

    assert plan_dict(rp)["notes"] == list(rp.notes)
    assert plan_dict(rp)["steps"][0]["terrain"] is None
