"""A rep's start read from sparse records where the watch wrote nothing while the runner stood."""

from __future__ import annotations

import numpy as np

from workoutcheck.segment.onset import fit_window, onset_boundaries


def _stand_then_rep() -> tuple[np.ndarray, np.ndarray]:
    """Records as a watch on smart recording writes them (h9 stress seed, a 4 x 400 m set with
    30 s stands on a track GPX): running at 3.9 m/s to 976 s, standing, one record at 988 s and
    none again until 1008 s, 4 s into the next rep, which runs at 3.9 m/s and then reads
    3.1 m/s for 15 s (GPS on a bend) before 3.9 m/s again."""
    rec = [950.0, 956.0, 962.0, 968.0, 976.0, 980.0, 987.0, 988.0]
    rec += [1008.0, 1015.0, 1021.0, 1024.0, 1027.0, 1035.0, 1039.0, 1042.0, 1047.0]
    rec += list(np.arange(1053.0, 1200.0, 6.0))
    t1 = np.arange(940.0, 1200.0)  # the runner, second by second
    v = np.where(t1 < 977, 3.9, np.where(t1 < 1004, 0.15, 3.9))
    v[(t1 >= 1024) & (t1 < 1039)] = 3.1
    d1 = np.concatenate([[0.0], np.cumsum(v[:-1])])
    t = np.array(rec)
    return t, np.interp(t, t1, d1)


def test_a_start_after_a_stand_without_records_is_read_from_the_last_record_of_the_stand():
    t, d = _stand_then_rep()
    # the programme's boundaries: the rep before ends at 977 s, this one runs 1008-1111 s
    boundaries = [940.0, 977.0, 1008.0, 1111.0, 1199.0]
    # halfway back to 977 s is 992.5 s: the fit reaches back to the stand's last two records
    assert fit_window(t, boundaries, 2) == (987.0, 1038.0)
    out = onset_boundaries(t, d, boundaries)
    # no record of the stand lies within the fit's window (halfway back to 977 s): the fit
    # saw only the rep and read its start at the bend's slowing, 14 s into it
    assert 1002.0 <= out[2] <= 1009.0  # the runner set off at 1004 s
    assert abs(out[1] - 977.0) < 2.0


def test_a_window_holding_records_on_both_sides_is_not_widened():
    t, d = _stand_then_rep()
    keep = (t < 990) | (t >= 1008)
    t2 = np.sort(np.r_[t[keep], 1000.0])  # one record of the stand within the window
    d2 = np.interp(t2, t, d)
    d2[t2 == 1000.0] = np.interp(988.0, t, d) + 0.15 * 12
    boundaries = [940.0, 977.0, 1008.0, 1111.0, 1199.0]
    assert fit_window(t2, boundaries, 2) == (992.5, 1038.0)  # halfway to the neighbours
    out = onset_boundaries(t2, d2, boundaries)
    assert 1000.0 <= out[2] <= 1009.0
