"""Time gvhdstats.cuminc (Aalen-Johansen + Gray's test) against R cmprsk::cuminc.

One simulated data set (two groups, two causes plus censoring, times rounded to
0.01 so that there are many ties) is written once to CSV; R reads it and times
``cuminc(time, status, group)`` inside R with ``system.time`` (process start-up
and reading excluded); Python times ``cuminc(..., all_causes=True)``, which
computes the same things as cmprsk (the CIF and Aalen variance of every cause
in every group, Gray's test for every cause), and also the single-cause call.
Medians over ``--repeat`` runs and the ratios are printed.

Run: python benchmarks/bench_competing.py [--n 100000] [--repeat 7] [--round 0.01]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

R_CODE = r"""
suppressPackageStartupMessages(library(cmprsk))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
reps <- as.integer(args[2])
fit <- cuminc(d$time, d$status, d$group)   # warm-up
el <- numeric(reps)
for (i in seq_len(reps)) {
  el[i] <- system.time(fit <- cuminc(d$time, d$status, d$group))[["elapsed"]]
}
cat(sprintf("%.6f", el), "\n")
cat(sprintf("%.17g", fit$Tests[, "stat"]), "\n")
"""


def simulate(n: int, rounding: float, seed: int = 1) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    group = rng.integers(1, 3, n)
    t1 = rng.exponential(np.where(group == 1, 2.0, 2.6))
    t2 = rng.exponential(3.0, n)
    c = rng.uniform(0, 4, n)
    time = np.minimum(np.minimum(t1, t2), c)
    status = np.where(time == c, 0, np.where(time == t1, 1, 2))
    time = np.round(time / rounding) * rounding
    return time, status, group


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--round", type=float, default=0.01, dest="rounding")
    args = ap.parse_args()

    from gvhdstats.methods.competing import cuminc

    time_, status, group = simulate(args.n, args.rounding)
    n_distinct = np.unique(time_).size
    print(f"n = {args.n}, 2 groups, {n_distinct} distinct times, repeat = {args.repeat}")

    def py_all():
        return cuminc(time_, status, group, all_causes=True)

    def py_one():
        return cuminc(time_, status, group)

    py_all()  # warm-up (lazy imports)
    res_all, res_one = [], []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        fit = py_all()
        res_all.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        py_one()
        res_one.append(time.perf_counter() - t0)
    m_all, m_one = statistics.median(res_all), statistics.median(res_one)
    print(f"gvhdstats cuminc(all_causes=True) + Gray : median {m_all:.4f} s")
    print(f"gvhdstats cuminc(cause=1) + Gray         : median {m_one:.4f} s")

    rscript = shutil.which("Rscript")
    if rscript is None:
        print("Rscript not found: R side skipped")
        return
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "data.csv"
        rfile = Path(tmp) / "bench.R"
        rfile.write_text(R_CODE)
        np.savetxt(
            csv,
            np.column_stack([time_, status, group]),
            fmt=["%.17g", "%d", "%d"],
            delimiter=",",
            header="time,status,group",
            comments="",
        )
        proc = subprocess.run(
            [rscript, "--vanilla", str(rfile), str(csv), str(args.repeat)],
            check=False,
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            raise SystemExit(f"R failed:\n{proc.stderr}")
        out = proc.stdout.splitlines()
    r_times = [float(x) for x in out[0].split()]
    r_stats = [float(x) for x in out[1].split()]
    m_r = statistics.median(r_times)
    print(f"R cmprsk::cuminc (all causes) + Gray     : median {m_r:.4f} s (system.time)")
    print(f"ratio gvhdstats(all causes) / R          : {m_all / m_r:.2f}  (budget 1.00)")
    print(f"ratio gvhdstats(cause 1) / R             : {m_one / m_r:.2f}")
    ours = fit.tests["statistic"].to_numpy()
    rel = np.max(np.abs(ours - np.asarray(r_stats)) / np.abs(np.asarray(r_stats)))
    print(f"Gray statistics R {r_stats} ; max relative difference {rel:.2e}")


if __name__ == "__main__":
    main()
