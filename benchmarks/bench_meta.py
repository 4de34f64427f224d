"""Time gvhdstats meta-analysis against R metafor, in one run.

Two timings, each ours and metafor's on the same data (R timed inside R with
proc.time() over the same work, process start-up and package loading
excluded), with the ratio ours / R:

1. 1,000 simulated studies (2x2 tables, risk ratio) pooled by every method:
   fixed, the eight tau^2 estimators (each with and without KNHA),
   Mantel-Haenszel and Peto (odds ratio) - 19 fits, with the Q-profile CI of
   tau^2 and the prediction interval for each random-effects fit (R:
   escalc + rma(method, test) + predict, confint once, rma.mh, rma.peto).
   metafor's rma works with k x k matrices, so R takes minutes here.
   Target: < 1 s for all of them together.
2. The method search for one printed pooled result (check_meta over every
   combination of method x tau^2 estimator x KNHA x zero-cell rule, plus MH,
   Peto and RevMan's model) on a 4-study and a 30-study data set; R does the
   same fits (rma for each method x test x escalc rule, rma.mh, rma.peto).
   Target: < 0.5 s.

First calls (imports of scipy) are warmed up and excluded, as R's library()
is.

Run: python benchmarks/bench_meta.py [--repeat 5]
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

from gvhdstats import check_meta, meta_analysis
from gvhdstats.methods.meta import TAU2_ESTIMATORS


def simulate(k: int, seed: int) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    rng = np.random.default_rng(seed)
    n1 = rng.integers(20, 400, k)
    n2 = rng.integers(20, 400, k)
    lor = rng.normal(0.3, 0.4, k)
    p0 = rng.uniform(0.05, 0.5, k)
    p1 = 1 / (1 + np.exp(-(np.log(p0 / (1 - p0)) + lor)))
    a = rng.binomial(n1, p1)
    c = rng.binomial(n2, p0)
    return [((int(x), int(m)), (int(y), int(n))) for x, m, y, n in zip(a, n1, c, n2, strict=True)]


def ours_every_method(tables) -> None:
    meta_analysis(tables, measure="RR", method="fixed")
    for m in TAU2_ESTIMATORS:
        for knha in (False, True):
            meta_analysis(tables, measure="RR", method=m, knha=knha)
    meta_analysis(tables, measure="RR", method="mantel-haenszel")
    meta_analysis(tables, measure="OR", method="peto")


def ours_search(tables) -> None:
    check_meta(tables, measure="RR", estimate="1.13", ci=("1.03", "1.23"), p="0.007", i2="35")


R_EVERY = """
es <- escalc("RR", ai = d$a, n1i = d$n1, ci = d$c, n2i = d$n2)
t0 <- proc.time()[["elapsed"]]
for (r in 1:REPS) {
  invisible(rma(yi, vi, data = es, method = "FE"))
  for (m in c("DL", "REML", "ML", "PM", "SJ", "HS", "HE", "EB")) for (tt in c("z", "knha")) {
    res <- rma(yi, vi, data = es, method = m, test = tt,
               control = list(threshold = 1e-12, tol = 1e-12, maxiter = 1000))
    invisible(predict(res))
  }
  # the Q-profile CI does not depend on the estimator: once (ours computes it in every fit)
  invisible(confint(res, control = list(tol = 1e-12, tau2.max = 1e6)))
  invisible(rma.mh(ai = d$a, n1i = d$n1, ci = d$c, n2i = d$n2, measure = "RR"))
  invisible(rma.peto(ai = d$a, n1i = d$n1, ci = d$c, n2i = d$n2))
}
cat("every", (proc.time()[["elapsed"]] - t0) / REPS, "\\n")
"""

R_SEARCH = """
t0 <- proc.time()[["elapsed"]]
for (r in 1:REPS) {
  for (to in c("only0", "all", "if0all", "none")) for (d00 in c(FALSE, TRUE)) {
    es <- escalc("RR", ai = d$a, n1i = d$n1, ci = d$c, n2i = d$n2, to = to, drop00 = d00)
    invisible(rma(yi, vi, data = es, method = "FE"))
    for (m in c("DL", "REML", "ML", "PM", "SJ", "HS", "HE", "EB")) for (tt in c("z", "knha"))
      invisible(rma(yi, vi, data = es, method = m, test = tt,
                    control = list(threshold = 1e-12, tol = 1e-12, maxiter = 1000)))
  }
  invisible(rma.mh(ai = d$a, n1i = d$n1, ci = d$c, n2i = d$n2, measure = "RR"))
}
cat("search", (proc.time()[["elapsed"]] - t0) / REPS, "\\n")
"""


def r_times(tables, code: str, reps: int) -> dict[str, float]:
    if shutil.which("Rscript") is None:
        return {}
    a = ",".join(str(t[0][0]) for t in tables)
    n1 = ",".join(str(t[0][1]) for t in tables)
    c = ",".join(str(t[1][0]) for t in tables)
    n2 = ",".join(str(t[1][1]) for t in tables)
    script = (
        "suppressPackageStartupMessages(library(metafor))\n"
        f"d <- list(a = c({a}), n1 = c({n1}), c = c({c}), n2 = c({n2}))\n"
        + code.replace("REPS", str(reps))
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.R"
        path.write_text(script, encoding="utf-8")
        proc = subprocess.run(
            ["Rscript", "--vanilla", str(path)], capture_output=True, text=True, check=True
        )
    out = {}
    for line in proc.stdout.splitlines():
        name, val = line.split()
        out[name] = float(val)
    return out


def median_time(fn, repeat: int) -> float:
    fn()  # warm-up: imports
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    big = simulate(1000, seed=1)
    ours = median_time(lambda: ours_every_method(big), args.repeat)
    r = r_times(big, R_EVERY, 1).get("every")
    print("1,000 studies x every method (19 fits; RE fits with Q-profile CI and PI)")
    print(f"  ours {ours:8.4f} s   metafor {r if r is not None else float('nan'):8.4f} s   "
          f"ratio ours/R {ours / r if r else float('nan'):6.3f}   target < 1 s: "
          f"{'met' if ours < 1 else 'NOT met'}")  # fmt: skip

    for k in (4, 30):
        tabs = simulate(k, seed=2)
        tabs[0] = ((0, tabs[0][0][1]), (0, tabs[0][1][1]))  # a double-zero study
        ours = median_time(lambda tabs=tabs: ours_search(tabs), args.repeat)
        r = r_times(tabs, R_SEARCH, 3).get("search")
        print(f"method search, k = {k} (every combination; one printed pooled result)")
        print(f"  ours {ours:8.4f} s   metafor {r if r is not None else float('nan'):8.4f} s   "
              f"ratio ours/R {ours / r if r else float('nan'):6.3f}   target < 0.5 s: "
              f"{'met' if ours < 0.5 else 'NOT met'}")  # fmt: skip


if __name__ == "__main__":
    main()
