"""Benchmark: Gray's test and Fine-Gray on many simulated two-arm data sets.

gvhdstats (vectorised across data sets) against R (cmprsk::cuminc and
cmprsk::crr in a loop, timed inside R with system.time).  Run from the
repository root:

    python benchmarks/bench_simulate.py [n_sim]

R is timed on a tenth of the data sets (at most 1,000) and scaled per data set.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from gvhdstats.methods.simulate import simulate_consistent


def main(n_sim: int = 10_000) -> None:
    kw = dict(
        incidence=[{24: 0.395}, {24: 0.627}],
        competing=[{24: 0.10}, {24: 0.10}],
        follow_up=(24, 48),
    )
    t0 = time.perf_counter()
    res = simulate_consistent([50, 50], n_sim=n_sim, seed=1, **kw)
    py = time.perf_counter() - t0
    print(f"gvhdstats: {n_sim} data sets of n = 100 (Gray + Fine-Gray): {py:.2f} s")
    print(f"  per data set: {1e3 * py / n_sim:.3f} ms")
    rscript = shutil.which("Rscript")
    if rscript is None:
        print("Rscript not found: no R comparison")
        return
    # the same kind of data sets for R (draws from the calibrated model)
    n_r = min(1000, max(10, n_sim // 10))
    rng = np.random.default_rng(2)
    rows = []
    knots_haz = []
    m = res.model
    for arm in (1, 2):
        a = m[m["arm"] == arm]
        knots = np.sort(a["start"].unique())
        haz = a.pivot(index="start", columns="cause", values="hazard").to_numpy()
        knots_haz.append((knots, haz))
    for s in range(n_r):
        for arm, (_knots, haz) in enumerate(knots_haz):
            lam = haz.sum(axis=1)
            t = rng.exponential(1 / lam[0], 50)
            cause = np.where(rng.random(50) < haz[0, 0] / lam[0], 1, 2)
            c = rng.uniform(24, 48, 50)
            rows.append(
                pd.DataFrame(
                    {
                        "set": s,
                        "time": np.minimum(t, c),
                        "status": np.where(t <= c, cause, 0),
                        "group": arm,
                    }
                )
            )
    with tempfile.TemporaryDirectory() as d:
        csv = Path(d) / "sets.csv"
        pd.concat(rows).to_csv(csv, index=False)
        code = f"""
suppressMessages(library(cmprsk))
d <- read.csv("{csv}")
sp <- split(d, d$set)
tm <- system.time(for (x in sp) {{
  cuminc(x$time, x$status, x$group)$Tests
  crr(x$time, x$status, x$group)$coef
}})[["elapsed"]]
cat(tm, "\\n")
cat(R.version.string, "cmprsk", as.character(packageVersion("cmprsk")), "\\n")
"""
        f = Path(d) / "bench.R"
        f.write_text(code)
        out = subprocess.run(
            [rscript, "--vanilla", str(f)], capture_output=True, text=True, check=True
        ).stdout.split("\n")
    r_time = float(out[0])
    per_r = r_time / n_r
    per_py = py / n_sim
    print(
        f"R ({out[1].strip()}): {n_r} data sets in {r_time:.2f} s, per data set "
        f"{1e3 * per_r:.3f} ms"
    )
    print(f"ratio R / gvhdstats per data set: {per_r / per_py:.1f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
