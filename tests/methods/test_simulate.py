"""Tests of gvhdstats.methods.simulate: batched statistics, calibration, reproducibility, speed."""

from __future__ import annotations

import math
import textwrap
import time as _time
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd
import pytest

from gvhdstats.errors import InvalidArgumentError, InvalidCountError, UnknownMethodError
from gvhdstats.methods.simulate import (
    SimulationResult,
    batch_cox,
    batch_fine_gray,
    batch_gray,
    batch_logrank,
    simulate_consistent,
)
from tests.conftest import run_r_code


def _sets(seed=3, B=6, n=40):
    rng = np.random.default_rng(seed)
    g = np.tile(np.r_[np.zeros(n), np.ones(n)], (B, 1)).astype(int)
    t = rng.exponential(10, (B, 2 * n)) * np.where(g == 1, 1.5, 1.0)
    c = rng.uniform(5, 30, (B, 2 * n))
    cause = rng.integers(1, 3, (B, 2 * n))
    obs = np.minimum(t, c)
    st = np.where(t <= c, cause, 0)
    o = np.argsort(obs, axis=1)
    return (
        np.take_along_axis(obs, o, 1),
        np.take_along_axis(st, o, 1),
        np.take_along_axis(g, o, 1),
    )


def test_batched_equal_single_data_set_functions():
    from gvhdstats.methods.competing import gray_test
    from gvhdstats.methods.finegray import fine_gray
    from gvhdstats.methods.survival import cox_hr, logrank_test

    obs, st, g = _sets()
    gs, gp = batch_gray(st, g)
    ls, _lp = batch_logrank(st != 0, g)
    b = batch_cox(st != 0, g)
    bf = batch_fine_gray(st, g)
    for i in range(obs.shape[0]):
        gt = gray_test(obs[i], st[i], g[i])
        assert gs[i] == pytest.approx(gt.statistic, rel=1e-10)
        assert gp[i] == pytest.approx(gt.pvalue, rel=1e-9)
        ev = (st[i] != 0).astype(int)
        lr = logrank_test(obs[i], ev, g[i])
        assert ls[i] == pytest.approx(lr.statistic, rel=1e-10)
        cx = cox_hr(obs[i], ev, g[i].reshape(-1, 1).astype(float))
        assert math.exp(b[i]) == pytest.approx(float(np.ravel(cx.hazard_ratio)[0]), rel=1e-8)
        fg = fine_gray(obs[i], st[i], g[i].reshape(-1, 1).astype(float))
        assert math.exp(bf[i]) == pytest.approx(float(np.ravel(fg.hazard_ratio)[0]), rel=1e-7)


def test_batched_no_events_gives_zero_without_warning():
    # A data set with no events has score 0, so Newton never moves: beta is
    # exactly 0 (HR 1), and a data set with events in one arm only diverges
    # (|beta| > 15 is reported as infinite).  Under filterwarnings=error this
    # also checks that no "invalid value" warning leaks from 0 * inf.
    g = np.array([[0, 1, 0, 1, 0, 1], [0, 1, 0, 1, 0, 1]])
    ev = np.array([[0, 0, 0, 0, 0, 0], [1, 0, 1, 0, 1, 0]])
    b = batch_cox(ev, g)
    assert b[0] == 0.0
    assert b[1] == -math.inf
    bf = batch_fine_gray(ev, g)
    assert bf[0] == 0.0
    assert bf[1] == -math.inf


@pytest.mark.r
def test_batched_against_r(tmp_path):
    obs, st, g = _sets(seed=9, B=3, n=30)
    rows = [
        pd.DataFrame({"set": i, "time": obs[i], "status": st[i], "group": g[i]})
        for i in range(obs.shape[0])
    ]
    pd.concat(rows).to_csv(tmp_path / "sets.csv", index=False)
    code = textwrap.dedent(
        f"""
        suppressMessages({{library(cmprsk); library(survival)}})
        d <- read.csv("{tmp_path / "sets.csv"}")
        cat(R.version.string, as.character(packageVersion("cmprsk")), "\\n", file = stderr())
        for (s in sort(unique(d$set))) {{
          x <- d[d$set == s, ]
          gt <- cuminc(x$time, x$status, x$group)$Tests["1", "stat"]
          lr <- survdiff(Surv(time, status != 0) ~ group, data = x)$chisq
          hr <- exp(coef(coxph(Surv(time, status != 0) ~ group, data = x)))
          sh <- exp(crr(x$time, x$status, x$group)$coef)
          cat(sprintf("%.12g %.12g %.12g %.12g\\n", gt, lr, hr, sh))
        }}
        """
    )
    out = np.array(
        [
            [float(v) for v in line.split()]
            for line in run_r_code(code, tmp_path).strip().splitlines()
        ]
    )
    gs, _ = batch_gray(st, g)
    ls, _ = batch_logrank(st != 0, g)
    np.testing.assert_allclose(gs, out[:, 0], rtol=1e-8)
    np.testing.assert_allclose(ls, out[:, 1], rtol=1e-8)
    np.testing.assert_allclose(np.exp(batch_cox(st != 0, g)), out[:, 2], rtol=1e-7)
    np.testing.assert_allclose(np.exp(batch_fine_gray(st, g)), out[:, 3], rtol=1e-6)


def test_calibration_closed_forms():
    # One event, median m: exponential hazard log(2) / m.
    res = simulate_consistent([50, 50], median=[10.0, 5.0], follow_up=20, n_sim=10, seed=1)
    m = res.model
    h1 = m[(m["arm"] == 1)]["hazard"].to_numpy()
    h2 = m[(m["arm"] == 2)]["hazard"].to_numpy()
    assert h1 == pytest.approx(math.log(2) / 10, rel=1e-9)
    assert h2 == pytest.approx(math.log(2) / 5, rel=1e-9)
    # Two causes at the same time t: total hazard -log(1 - F1 - F2) / t, split F1 : F2.
    res = simulate_consistent(
        [50, 50],
        incidence=[{24: 0.3}, {24: 0.5}],
        competing=[{24: 0.1}, {24: 0.2}],
        follow_up=30,
        n_sim=10,
        seed=1,
    )
    m = res.model
    a1 = m[(m["arm"] == 1) & (m["start"] == 0)].set_index("cause")["hazard"]
    lam = -math.log(1 - 0.4) / 24
    assert a1[1] == pytest.approx(lam * 0.3 / 0.4, rel=1e-8)
    assert a1[2] == pytest.approx(lam * 0.1 / 0.4, rel=1e-8)


def test_calibrated_model_meets_targets_at_several_times():
    # cause 1 printed at 12 and 24, cause 2 at 24 only: solved numerically; the
    # closed-form CIF of the fitted piecewise-exponential model meets every target.
    from gvhdstats.methods.simulate import _cif_at

    res = simulate_consistent(
        [50, 50],
        incidence=[{12: 0.2, 24: 0.35}, {24: 0.5}],
        competing=[{24: 0.1}, {24: 0.1}],
        follow_up=30,
        n_sim=1,
        seed=5,
    )

    m = res.model[res.model["arm"] == 1]
    knots = np.sort(m["start"].unique())
    haz = m.pivot(index="start", columns="cause", values="hazard").to_numpy()
    cif = _cif_at(knots, haz, np.array([12.0, 24.0]))
    assert cif[0, 0] == pytest.approx(0.2, abs=1e-9)
    assert cif[1, 0] == pytest.approx(0.35, abs=1e-9)
    assert cif[1, 1] == pytest.approx(0.1, abs=1e-9)


def test_reproducible_and_executor_identical():
    kw = dict(
        incidence=[{24: 0.4}, {24: 0.6}],
        competing=[{24: 0.1}, {24: 0.1}],
        follow_up=(24, 48),
        n_sim=600,
        chunk_size=150,
    )
    a = simulate_consistent([60, 60], seed=42, **kw)
    b = simulate_consistent([60, 60], seed=42, **kw)
    with ProcessPoolExecutor(max_workers=2) as ex:
        c = simulate_consistent([60, 60], seed=42, executor=ex, **kw)
    np.testing.assert_array_equal(a.pvalue, b.pvalue)
    np.testing.assert_array_equal(a.pvalue, c.pvalue)
    np.testing.assert_array_equal(a.hazard_ratio, c.hazard_ratio)
    d = simulate_consistent([60, 60], seed=43, **kw)
    assert not np.array_equal(a.pvalue, d.pvalue)


def test_speed_10000_sets_of_100():
    t0 = _time.perf_counter()
    res = simulate_consistent(
        [50, 50],
        incidence=[{24: 0.395}, {24: 0.627}],
        competing=[{24: 0.1}, {24: 0.1}],
        follow_up=(24, 48),
        n_sim=10_000,
        seed=1,
    )
    elapsed = _time.perf_counter() - t0
    assert res.n_sim == 10_000
    assert elapsed < 10.0


def test_plausibility_rule_by_hand():
    p = np.arange(1, 101) / 100.0  # 0.01, ..., 1.00
    res = SimulationResult(
        pvalue=p,
        statistic=p,
        hazard_ratio=np.ones(100),
        test="logrank",
        hr_method="cox",
        model=pd.DataFrame(),
        n=(10, 10),
        seed=None,
    )
    # "0.03" stands for [0.025, 0.035): 3 of 100 at or below 0.035, 98 at or above 0.025
    pl = res.plausibility("0.03")
    assert (pl.below, pl.above) == (0.03, 0.98)
    assert pl.tail == pytest.approx(0.06)
    assert pl.implausible is False
    pl = res.plausibility("0.01")  # [0.005, 0.015): 1 at or below
    assert pl.below == 0.01
    assert pl.implausible is True
    pl = res.plausibility("<0.001")
    assert pl.below == 0.0
    assert pl.implausible is True
    q = res.quantiles((0.5,))
    assert q.loc[q["quantity"] == "p", "value"].iloc[0] == pytest.approx(0.505)


def test_known_answer_under_the_null():
    # Equal arms: P is uniform, so a printed P = 0.50 is plausible and the
    # fraction of P <= 0.05 is near 0.05 (4 binomial SE with 4000 sets).
    res = simulate_consistent(
        [60, 60], survival=[{12: 0.6}, {12: 0.6}], follow_up=(12, 24), n_sim=4000, seed=8
    )
    frac = float(np.mean(res.pvalue <= 0.05))
    assert abs(frac - 0.05) < 4 * math.sqrt(0.05 * 0.95 / 4000) + 0.01
    assert res.plausibility("0.50").implausible is False


@pytest.mark.parametrize(
    ("kwargs", "err", "msg"),
    [
        ({"n": [1, 50]}, InvalidCountError, r"`n\[0\]` must be an integer not less than 2"),
        ({"test": "wilcoxon"}, UnknownMethodError, "`test` must be one of"),
        ({"incidence": [{24: 1.2}, {24: 0.5}]}, InvalidArgumentError, "strictly between 0 and 1"),
        ({"follow_up": (30, 10)}, InvalidArgumentError, "shortest <= longest"),
        ({"n_sim": 0}, InvalidCountError, "`n_sim` must be an integer not less than 1"),
        (
            {"incidence": [{24: 0.6}, {24: 0.5}], "competing": [{24: 0.5}, {24: 0.1}]},
            InvalidArgumentError,
            "cannot be met",
        ),
        ({"survival": [{12: 0.5}, {12: 0.5}]}, InvalidArgumentError, "not both"),
    ],
)
def test_bad_input(kwargs, err, msg):
    args = dict(n=[50, 50], incidence=[{24: 0.4}, {24: 0.5}], follow_up=30, n_sim=10, seed=1)
    args.update(kwargs)
    with pytest.raises(err, match=msg):
        simulate_consistent(**args)
