"""Speed of gvhdstats.methods.survival against R survival and lifelines.

Run from the repository root:  python benchmarks/bench_survival.py [--sizes 10000 100000]

For each n: two groups, exponential times rounded to 0.1 (many ties), uniform
censoring.  Times Kaplan-Meier (both groups), the log-rank test and a Cox model
(Efron ties) with gvhdstats, with R (survfit + survdiff + coxph, timed inside R
with proc.time, best of the repeats, so R start-up is excluded) and with
lifelines (KaplanMeierFitter per group, logrank_test, CoxPHFitter).  Prints
seconds and ratios (other / gvhdstats).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from gvhdstats.methods.survival import cox_hr, kaplan_meier, logrank_test

R_CODE = r"""
suppressPackageStartupMessages(library(survival))
d <- read.csv("{csv}")
best <- function(f, reps) min(sapply(seq_len(reps), function(i) {{
  t0 <- proc.time()[["elapsed"]]; f(); proc.time()[["elapsed"]] - t0 }}))
km <- best(function() survfit(Surv(time, event) ~ group, data = d), {reps})
lr <- best(function() survdiff(Surv(time, event) ~ group, data = d), {reps})
cx <- best(function() coxph(Surv(time, event) ~ group, data = d, ties = "efron"), {reps})
cat(km, lr, cx, "\n")
"""


def simulate(n: int, rng: np.random.Generator) -> pd.DataFrame:
    g = rng.integers(0, 2, n)
    t = np.round(rng.exponential(np.where(g == 1, 16.0, 11.0)), 1)
    c = np.round(rng.uniform(6, 48, n), 1)
    return pd.DataFrame(
        {"time": np.minimum(t, c), "event": (t <= c).astype(int), "group": np.where(g, "b", "a")}
    )


def best_of(fn, reps: int) -> float:
    out = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return min(out)


def time_ours(d: pd.DataFrame, reps: int) -> tuple[float, float, float]:
    t, e, g = d.time.to_numpy(), d.event.to_numpy(), d.group.to_numpy()
    return (
        best_of(lambda: kaplan_meier(t, e, g), reps),
        best_of(lambda: logrank_test(t, e, g), reps),
        best_of(lambda: cox_hr(t, e, g, ties="efron"), reps),
    )


def time_r(d: pd.DataFrame, reps: int) -> tuple[float, float, float] | None:
    exe = shutil.which("Rscript")
    if exe is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "d.csv"
        d.to_csv(csv, index=False)
        script = Path(tmp) / "bench.R"
        script.write_text(R_CODE.format(csv=csv, reps=reps))
        out = subprocess.run(
            [exe, "--vanilla", str(script)], capture_output=True, text=True, check=True
        )
    km, lr, cx = (float(v) for v in out.stdout.split())
    return km, lr, cx


def time_lifelines(d: pd.DataFrame, reps: int) -> tuple[float, float, float] | None:
    try:
        from lifelines import CoxPHFitter, KaplanMeierFitter
        from lifelines.statistics import logrank_test as ll_logrank
    except ImportError:
        return None
    a, b = d[d.group == "a"], d[d.group == "b"]
    dd = pd.DataFrame({"time": d.time, "event": d.event, "b": (d.group == "b").astype(float)})

    def km():
        KaplanMeierFitter().fit(a.time, a.event)
        KaplanMeierFitter().fit(b.time, b.event)

    return (
        best_of(km, reps),
        best_of(lambda: ll_logrank(a.time, b.time, a.event, b.event), reps),
        best_of(lambda: CoxPHFitter().fit(dd, "time", "event"), max(1, reps // 2)),
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--reps", type=int, default=5)
    args = ap.parse_args()
    rng = np.random.default_rng(12345)
    print(f"{'n':>8} {'step':<8} {'gvhdstats s':>12} {'R s':>10} {'R/ours':>8} "
          f"{'lifelines s':>12} {'lifelines/ours':>15}")  # fmt: skip
    for n in args.sizes:
        d = simulate(n, rng)
        ours = time_ours(d, args.reps)
        r = time_r(d, args.reps)
        ll = time_lifelines(d, args.reps)
        for i, step in enumerate(("km", "logrank", "cox")):
            rs = f"{r[i]:10.4f} {r[i] / ours[i]:8.2f}" if r else f"{'n/a':>10} {'':>8}"
            ls = f"{ll[i]:12.4f} {ll[i] / ours[i]:15.2f}" if ll else f"{'n/a':>12}"
            print(f"{n:>8} {step:<8} {ours[i]:12.4f} {rs} {ls}")


if __name__ == "__main__":
    main()
