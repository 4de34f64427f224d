"""Tests of gvhdstats.methods.reconstruct (Guyot et al. 2012 and its competing-risks extension).

Neither IPDfromKM nor reconstructKM is available here, so the algorithm is
checked on small examples worked by hand (each interval's events and
censorings computed in the comments), on round trips from data with known
truth, and against R's survfit on the rebuilt data (accuracy report).
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import pytest

from gvhdstats.errors import InvalidArgumentError, InvalidCountError, UnknownMethodError
from gvhdstats.methods.reconstruct import (
    CIFReconstruction,
    KMReconstruction,
    reconstruct_cif,
    reconstruct_km,
    stack_arms,
)
from tests.conftest import run_r_code

# Example 1: ten patients; digitised corners of the steps at 1, 2 and 4; the
# table says 10 at risk at 0 and 6 at 3.
EX1_T = [0, 1, 1, 2, 2, 4, 4, 5]

EX1_S = [1, 1, 0.9, 0.9, 0.7, 0.7, 7 / 12, 7 / 12]


def _round_trip_checks(d: pd.DataFrame) -> None:
    assert d["hr_rel_error"].abs().median() < 0.02
    med = d.filter(like="median_error").abs().to_numpy().ravel()
    assert np.nanmedian(med) < 0.01
    cif = d.filter(like="cif_error_pp").abs().to_numpy().ravel()
    assert np.median(cif) < 1.0
    assert d["risk_mismatches"].sum() == 0


def test_hand_worked_two_intervals():
    res = reconstruct_km(EX1_T, EX1_S, [0, 3], [10, 6])
    st = res.steps
    # A point (3, 0.7) is inserted at the risk-table time 3 (step value there).
    assert st["time"].tolist() == [0, 1, 1, 2, 2, 3, 4, 4, 5]
    # Interval [0, 3): first guess of censorings round(10 * 0.7 / 1 - 6) = 1,
    # placed at 0 + 1 * 3 / 2 = 1.5, i.e. in [1, 2): counted at the row (1, 0.9).
    # Events: (1, 0.9): round(10 * (1 - 0.9)) = 1, KM 0.9, then 10 - 1 - 1 = 8 at risk;
    # (2, 0.7): round(8 * (1 - 0.7 / 0.9)) = round(1.78) = 2, KM 0.9 * 6 / 8 = 0.675,
    # 8 - 2 = 6 at risk at 3 = the table: no adjustment.
    # Interval [3, 5] (last): censoring rate 1 per 3 time units, times 2 units
    # -> round(0.67) = 1 censoring at 3 + 2 / 2 = 4, in [4, 5): row (4, 7/12).
    # (4, 7/12): round(6 * (1 - (7/12) / 0.675)) = round(0.815) = 1, KM 0.5625;
    # 6 - 1 - 1 = 4 left, censored at the last time 5.
    assert st["n_risk"].tolist() == [10, 10, 10, 8, 8, 6, 6, 6, 4]
    assert st["n_event"].tolist() == [0, 0, 1, 0, 2, 0, 0, 1, 0]
    assert st["n_censor"].tolist() == [0, 0, 1, 0, 0, 0, 0, 1, 0]
    assert st["rebuilt"].to_numpy() == pytest.approx(
        [1, 1, 0.9, 0.9, 0.675, 0.675, 0.675, 0.5625, 0.5625]
    )
    d = res.data
    assert d["time"].tolist() == [1, 1.5, 2, 2, 4, 4, 5, 5, 5, 5]
    assert d["event"].tolist() == [1, 0, 1, 1, 1, 0, 0, 0, 0, 0]
    rt = res.accuracy.risk_table
    assert rt["n_risk_rebuilt"].tolist() == [10, 6]
    assert res.accuracy.risk_mismatches.empty
    # largest distance to the drawn curve: digitised 0.7 at 2 vs rebuilt 0.675
    assert res.accuracy.max_error == pytest.approx(0.025)
    assert res.cleaning.n_inserted == 1


def test_hand_worked_total_events():
    # Four patients, drops at 1 (to 0.75) and 3 (to 0.5); only the arm size and
    # the total number of events (1) are known.
    t = [0, 1, 1, 3, 3, 4]
    s = [1, 1, 0.75, 0.75, 0.5, 0.5]
    # No censoring: 1 event at 1 (round(4 * 0.25)), then round(3 * (1 - 0.5/0.75)) = 1
    # at 3: 2 events, one too many -> 1 censoring, at 0 + 4/2 = 2 (row (1, 0.75)):
    # 2 at risk at 3, round(2 / 3) = 1 event: still 2 -> 2 censorings at 4/3 and 8/3,
    # 1 at risk at 3, round(1/3) = 0: 1 event = the total.  The last one is censored at 4.
    res = reconstruct_km(t, s, [0], [4], total_events=1)
    assert res.data["time"].tolist() == pytest.approx([1, 4 / 3, 8 / 3, 4])
    assert res.data["event"].tolist() == [1, 0, 0, 0]
    assert res.accuracy.total_events_rebuilt == 1
    assert res.accuracy.total_events_given == 1
    # without the total: all 4 kept to the end, 2 events
    res0 = reconstruct_km(t, s, [0], [4])
    assert res0.data["event"].tolist() == [1, 1, 0, 0]


def test_cleaning_percent_monotone_and_origin():
    # percentages, a point that rises (digitisation noise), a negative time, no origin
    t = [-0.01, 1, 1, 2.0, 1.98, 3]
    s = [100, 100, 80, 81, 60, 60]
    res = reconstruct_km(t, s, [0], [5])
    c = res.cleaning
    assert c.percent is True
    assert c.n_negative_times == 1
    # sorted: (0,1), (1,1), (1,.8), (1.98,.6), (2,.81) -> .81 lowered to .6
    assert c.n_monotone == 1
    assert c.max_monotone_change == pytest.approx(0.21)
    assert c.origin_added is False  # the -0.01 point became time 0
    # 5 patients: 1 event at 1 (round(5 * .2)), 1 at 1.98 (round(4 * (1 - .6/.8)))
    assert res.data["event"].sum() == 2
    assert res.data.loc[res.data["event"] == 1, "time"].tolist() == [1.0, 1.98]


def test_repr_and_types():
    res = reconstruct_km(EX1_T, EX1_S, [0, 3], [10, 6])
    assert isinstance(res, KMReconstruction)
    assert "KMReconstruction(n=10, events=4" in repr(res)
    assert list(res.data.columns) == ["time", "event"]
    with pytest.raises(AttributeError):
        res.data = None  # frozen


@pytest.mark.parametrize(
    ("kwargs", "err", "msg"),
    [
        ({"risk_times": [1, 3]}, InvalidArgumentError, "`risk_times` must start at 0"),
        (
            {"risk_times": [0, 3, 3], "n_risk": [10, 6, 5]},
            InvalidArgumentError,
            "strictly increasing",
        ),
        ({"n_risk": [10, 11]}, InvalidCountError, "`n_risk` must be non-increasing"),
        ({"n_risk": [10, 5.5]}, InvalidCountError, "`n_risk` must hold integers"),
        ({"n_risk": [10]}, InvalidArgumentError, "same length"),
        ({"total_events": 11}, InvalidCountError, "`total_events` must be an integer between 0"),
        ({"scale": "percentage"}, UnknownMethodError, "`scale` must be one of"),
        ({"times": [0, 1, np.nan]}, InvalidArgumentError, "finite"),
    ],
)
def test_bad_input(kwargs, err, msg):
    args = {
        "times": [0, 1, 2],
        "survival": [1, 0.9, 0.8],
        "risk_times": [0, 3],
        "n_risk": [10, 6],
    }
    args.update(kwargs)
    with pytest.raises(err, match=msg):
        reconstruct_km(**args)


def test_cif_hand_worked_other_cause():
    # Event-free curve drops at 1, 2, 3 (10 patients); the cause-1 incidence
    # rises at 1 and 3 only: the drop at 2 is the unplotted cause (code 2).
    res = reconstruct_cif(
        {1: ([0, 1, 1, 3, 3], [0, 0, 0.1, 0.1, 0.2])},
        [0],
        [10],
        event_free=([0, 1, 1, 2, 2, 3, 3, 4], [1, 1, 0.9, 0.9, 0.8, 0.8, 0.7, 0.7]),
    )
    assert isinstance(res, CIFReconstruction)
    d = res.data
    assert d.loc[d["status"] == 1, "time"].tolist() == [1, 3]
    assert d.loc[d["status"] == 2, "time"].tolist() == [2]
    assert (d["status"] == 0).sum() == 7
    # AJ of cause 1: 1/10 at 1; at 3: S(3-) = 0.8, 8 at risk -> + 0.8/8 = 0.2: exact
    assert res.accuracy[1].max_error == pytest.approx(0.0, abs=1e-12)


def test_cif_all_causes_plotted():
    # Two causes, both plotted; event-free = 1 - F1 - F2.
    # 20 patients: cause 1 at 1 (2 events: 0.1), cause 2 at 2 (1 event: 0.05),
    # cause 1 at 3 (S(3-) = 0.85, 17 at risk, 1 event: + 0.05 -> 0.15).
    res = reconstruct_cif(
        {
            1: ([0, 1, 1, 3, 3, 5], [0, 0, 0.1, 0.1, 0.15, 0.15]),
            2: ([0, 2, 2, 5], [0, 0, 0.05, 0.05]),
        },
        [0],
        [20],
    )
    d = res.data
    assert d.loc[d["status"] == 1, "time"].tolist() == [1, 1, 3]
    assert d.loc[d["status"] == 2, "time"].tolist() == [2]
    assert (d["status"] == 0).sum() == 16


def test_cif_bad_input():
    with pytest.raises(InvalidArgumentError, match="`curves` keys must be cause codes"):
        reconstruct_cif({0: ([0, 1], [0, 0.1])}, [0], [10])
    with pytest.raises(InvalidArgumentError, match="add up to more than 1"):
        reconstruct_cif({1: ([0, 1], [0, 0.7]), 2: ([0, 1], [0, 0.6])}, [0], [10])
    with pytest.raises(InvalidArgumentError, match="`other_cause` needs `event_free`"):
        reconstruct_cif({1: ([0, 1], [0, 0.1])}, [0], [10], other_cause=3)


def test_stack_arms():
    a = reconstruct_km([0, 2, 2], [1, 1, 0.5], [0], [2])
    b = reconstruct_km([0, 3], [1, 1], [0], [3])
    df = stack_arms({"msc": a, "control": b})
    assert list(df.columns) == ["group", "time", "event"]
    assert df["group"].tolist() == ["msc"] * 2 + ["control"] * 3
    with pytest.raises(InvalidArgumentError, match="must be a non-empty mapping"):
        stack_arms({})


def test_round_trip_quick():
    from gvhdstats.methods.simulate import round_trip_study

    d = round_trip_study(20, seed=7)
    assert len(d) == 20
    _round_trip_checks(d)


@pytest.mark.slow
def test_round_trip_200():
    from gvhdstats.methods.simulate import round_trip_study

    d = round_trip_study(200)
    _round_trip_checks(d)


def test_without_risk_table_hr_is_worse_or_equal_information():
    # With only the arm size (no table, no total events) every patient not
    # seen to fail is kept to the end: events equal the drops, none censored early.
    from gvhdstats.methods.simulate import digitise_curve

    rng = np.random.default_rng(11)
    t = rng.exponential(10, 50)
    c = rng.uniform(5, 20, 50)
    time, ev = np.minimum(t, c), (t <= c).astype(int)
    kt, kv = digitise_curve(time, ev)
    res = reconstruct_km(kt, kv, [0], [50])
    assert res.accuracy.max_error < 0.02
    assert (res.data["event"] == 0).sum() == (res.data["time"] == res.data["time"].max()).sum()


@pytest.mark.r
def test_accuracy_against_r_survfit(tmp_path):
    from gvhdstats.methods.simulate import digitise_curve

    rng = np.random.default_rng(3)
    t = rng.exponential(12, 80)
    c = rng.uniform(6, 30, 80)
    time, ev = np.minimum(t, c), (t <= c).astype(int)
    kt, kv = digitise_curve(time, ev, time_sd=0.05, value_sd=0.003, rng=rng)
    rts = np.arange(0, 31, 6.0)
    nr = np.array([(time >= r).sum() for r in rts])
    res = reconstruct_km(kt, kv, rts[nr > 0], nr[nr > 0])
    res.data.to_csv(tmp_path / "ipd.csv", index=False)
    # the cleaned digitised points (sorted, monotone, clipped), as the accuracy uses them
    st = res.steps
    pts = pd.DataFrame({"time": np.maximum(np.sort(kt), 0)})
    order = np.lexsort((-kv, np.maximum(kt, 0)))
    pts["value"] = np.minimum.accumulate(np.clip(kv[order], 0, 1))
    pts["time"] = np.maximum(kt[order], 0)
    pts.to_csv(tmp_path / "pts.csv", index=False)
    code = textwrap.dedent(
        f"""
        suppressMessages(library(survival))
        d <- read.csv("{tmp_path / "ipd.csv"}")
        p <- read.csv("{tmp_path / "pts.csv"}")
        f <- survfit(Surv(time, event) ~ 1, data = d)
        sf <- stepfun(f$time, c(1, f$surv))
        right <- sf(p$time)
        left <- sapply(p$time, function(t) {{
          u <- f$time[f$time < t]; if (length(u)) f$surv[length(u)] else 1 }})
        lo <- pmin(right, left); hi <- pmax(right, left)
        err <- ifelse(p$value < lo, p$value - lo, ifelse(p$value > hi, p$value - hi, 0))
        cat(sprintf("%.15g %.15g\\n", max(abs(err)), sqrt(mean(err^2))))
        """
    )
    out = run_r_code(code, tmp_path).split()
    assert len(st) >= len(pts)
    assert res.accuracy.max_error == pytest.approx(float(out[0]), abs=1e-12)
    assert res.accuracy.rms_error == pytest.approx(float(out[1]), rel=1e-9)


# ------------------------------------------------------------- issue 9: scale="auto"
class TestAutoScale:
    """scale="auto" decides from all the digitised values and says what it decided."""

    RISK = ([0], [20])

    def test_one_outlier_among_proportions_is_refused(self):
        t = [0, 1, 2, 3, 4, 5, 6]
        s = [1.0, 0.95, 0.9, 85.0, 0.8, 0.75, 0.7]  # one point digitised on the % axis
        with pytest.raises(
            InvalidArgumentError,
            match=r"scale='auto' cannot tell .* 1 of 7 values exceed 1.5 \(e.g. 85.0 at "
            r"position 3\).*pass scale='proportion' or scale='percent'",
        ):
            reconstruct_km(t, s, *self.RISK)
        # the user decides; the outlier is then clipped and reported
        res = reconstruct_km(t, s, *self.RISK, scale="proportion")
        assert res.scale == "proportion"
        assert res.cleaning.n_clipped == 1

    def test_outlier_at_the_end_of_a_proportion_survival_curve_is_refused(self):
        with pytest.raises(InvalidArgumentError, match="cannot tell proportions"):
            reconstruct_km([0, 1, 2, 3], [1.0, 0.9, 0.8, 70.0], *self.RISK)

    def test_percent_survival_falling_below_1_5_percent(self):
        t = [0, 1, 2, 3, 4, 5]
        s = [100, 60, 20, 5, 1.2, 1.0]  # the tail is below 1.5 %, still percentages
        res = reconstruct_km(t, s, *self.RISK)
        assert res.scale == "percent"
        assert res.cleaning.percent is True
        assert "read percentages (4 of 6 values above 1.5)" in res.cleaning.notes[0]
        assert res.steps["survival"].iloc[-1] == pytest.approx(0.010)

    def test_proportions_reported(self):
        res = reconstruct_km([0, 1, 2], [1.0, 0.8, 0.5], *self.RISK)
        assert res.scale == "proportion"
        assert "no value above 1.5" in res.cleaning.notes[0]

    def test_percent_incidence_with_a_slow_start(self):
        t = [0, 1, 2, 3, 4, 5, 6, 7]
        ci = [0, 0.3, 0.8, 1.2, 2.0, 3.0, 4.0, 5.0]  # most values below 1.5, yet percent
        res = reconstruct_cif({1: (t, ci)}, [0], [100])
        assert res.scale == {1: "percent"}

    def test_incidence_outlier_early_is_refused(self):
        t = [0, 1, 2, 3, 4, 5]
        ci = [0, 12.0, 0.1, 0.15, 0.2, 0.25]
        with pytest.raises(InvalidArgumentError, match="cannot tell proportions"):
            reconstruct_cif({1: (t, ci)}, [0], [100])
