"""Time gvhdstats.methods.twobytwo against the equivalent R calls, in one run.

For several table sizes, times (median of repeats, cache cleared each time):
  * our check_2x2 with every method (estimate, CI, P all printed),
  * each of our methods alone,
  * the R calls giving the same numbers (fisher.test, chisq.test, epitools
    oddsratio wald / midp, riskratio, prop.test), timed inside R with
    proc.time() over repeated calls (process start-up excluded),
and prints the ratios ours / R.  Barnard and Boschloo have no R reference
here (exact2x2 / Exact are not installed); they are compared with scipy.
Blaker's test and interval (exact2x2 tsmethod = "blaker", not installed) are
timed against the hand R implementation of tests/reference/gen_twobytwo.R
(P value at OR = 1 and the interval by a 4001-point grid plus bisection).

Run: python benchmarks/bench_twobytwo.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from scipy import stats

from gvhdstats import check_2x2, odds_ratio, two_by_two_pvalue
from gvhdstats.methods.twobytwo import (
    OR_CI_METHODS,
    PVALUE_METHODS,
    _blaker_ci,
    _conditional_results,
    _exact_pvalues,
)

TABLES = [
    (82, 99, 70, 99),
    (78, 99, 64, 99),
    (400, 1000, 350, 1000),
    (3800, 10000, 3650, 10000),
    (50000, 100000, 49000, 100000),
]

R_CALLS = {
    "fisher.test": "fisher.test(mat)",
    "chisq.test": "suppressWarnings(chisq.test(mat, correct = FALSE))",
    "oddsratio.wald": "oddsratio(emat, method = 'wald')",
    "oddsratio.midp": "oddsratio(emat, method = 'midp')",
    "riskratio.wald": "riskratio(emat, method = 'wald')",
    "prop.test": "prop.test(c(a, c), c(n1, n2))",
}
# Blaker by hand in R (the generator's definitions), timed inside R
R_BLAKER = """
nchyper <- function(a, n1, c, n2) {
  m <- a + c; x <- max(0, m - n2):min(n1, m)
  list(x = x, logd = dhyper(x, n1, n2, m, log = TRUE))
}
blaker_p <- function(h, a, psi) {
  lp <- h$logd + h$x * log(psi); p <- exp(lp - max(lp)); p <- p / sum(p)
  acc <- pmin(cumsum(p), rev(cumsum(rev(p))))
  min(1, sum(p[acc <= acc[h$x == a] * (1 + 1e-7)]))
}
blaker_ci <- function(a, n1, c, n2, lo, hi) {
  h <- nchyper(a, n1, c, n2)
  ok <- function(t) blaker_p(h, a, exp(t)) >= 0.05
  grid <- seq(log(lo) - 1, log(hi) + 1, length.out = 4001)
  acc <- vapply(grid, ok, logical(1))
  edge <- function(i, o) { for (k in 1:60) { m <- (i + o) / 2; if (ok(m)) i <- m else o <- m }; i }
  exp(c(edge(grid[min(which(acc))], grid[min(which(acc)) - 1]),
        edge(grid[max(which(acc))], grid[max(which(acc)) + 1])))
}
"""

OURS_FOR_R = {
    "fisher.test": ["fisher-exact p", "exact-conditional CI", "conditional-mle"],
    "chisq.test": ["pearson-chi2 p"],
    "oddsratio.wald": ["wald CI", "pearson-chi2 p", "fisher-exact p", "mid-p p"],
    "oddsratio.midp": ["mid-p CI", "median-unbiased", "pearson-chi2 p", "fisher-exact p"],
    "blaker.p (hand)": ["blaker p"],
    "blaker.ci (hand)": ["blaker CI"],
}


def _median_time(fn, repeat: int) -> float:
    out = []
    for _ in range(repeat):
        _conditional_results.cache_clear()
        _exact_pvalues.cache_clear()
        _blaker_ci.cache_clear()
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return statistics.median(out)


def _r_times(tab, reps: int) -> dict[str, float]:
    if shutil.which("Rscript") is None:
        return {}
    a, n1, c, n2 = tab
    lines = [
        "suppressPackageStartupMessages(library(epitools))",
        f"a <- {a}; n1 <- {n1}; c <- {c}; n2 <- {n2}",
        "mat <- matrix(c(a, n1 - a, c, n2 - c), 2, byrow = TRUE)",
        "emat <- matrix(c(n2 - c, c, n1 - a, a), 2, byrow = TRUE)",
    ]
    calls = dict(R_CALLS)
    lines.append(R_BLAKER)
    lines.append("h0 <- nchyper(a, n1, c, n2); ci0 <- fisher.test(mat)$conf.int")
    calls["blaker.p (hand)"] = "blaker_p(h0, a, 1)"
    if n1 <= 1000:  # the grid search is slow for big tables
        calls["blaker.ci (hand)"] = "blaker_ci(a, n1, c, n2, ci0[1], ci0[2])"
    for name, call in calls.items():
        r_reps = 1 if name == "blaker.ci (hand)" else reps
        lines.append(
            f"t0 <- proc.time()[['elapsed']]; "
            f"for (i in 1:{r_reps}) invisible(suppressWarnings({call}));"
            f" cat('{name.replace(' ', '_')}', (proc.time()[['elapsed']] - t0) / {r_reps}, '\\n')"
        )
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "bench.R"
        f.write_text("\n".join(lines))
        res = subprocess.run(["Rscript", "--vanilla", str(f)], capture_output=True, text=True)
    out = {}
    for line in res.stdout.splitlines():
        name, val = line.split()
        out[name.replace("_", " ")] = float(val)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    total_phase3 = 0.0
    for tab in TABLES:
        a, n1, c, n2 = tab
        t, k = (a, n1), (c, n2)
        print(f"\n== {a}/{n1} vs {c}/{n2}")
        full = _median_time(
            lambda t=t, k=k: check_2x2(
                t, k, odds_ratio="2.00", ci=("1.01", "3.94"), p="0.043", percents=("1", "1")
            ),
            args.repeat,
        )
        if n1 == 99:
            total_phase3 += full
        print(f"  check_2x2 (every method)       {1e3 * full:9.2f} ms")
        ours: dict[str, float] = {}
        for m in PVALUE_METHODS:
            ours[f"{m} p"] = _median_time(
                lambda m=m, t=t, k=k: two_by_two_pvalue(t, k, method=m), args.repeat
            )
        for m in OR_CI_METHODS:
            ours[f"{m} CI"] = _median_time(
                lambda m=m, t=t, k=k: odds_ratio(t, k).confidence_interval(m), args.repeat
            )
        for e in ("conditional-mle", "median-unbiased"):
            ours[e] = _median_time(
                lambda e=e, t=t, k=k: odds_ratio(t, k, estimator=e), args.repeat
            )
        for name, v in ours.items():
            print(f"  {name:<30} {1e3 * v:9.2f} ms")
        if (n1 + 1) * (n2 + 1) <= 20_000:
            table = [[a, c], [n1 - a, n2 - c]]
            for name, fn in (("barnard", stats.barnard_exact), ("boschloo", stats.boschloo_exact)):
                sv = _median_time(lambda fn=fn, table=table: fn(table), args.repeat)
                print(
                    f"  scipy {name:<24} {1e3 * sv:9.2f} ms   ours/scipy = "
                    f"{ours[name + ' p'] / sv:.2f}"
                )
        reps = 20 if n1 <= 1000 else 3
        rt = _r_times(tab, reps)
        for name, rv in rt.items():
            mine = sum(ours[x] for x in OURS_FOR_R.get(name, [])) or None
            ratio = f"ours/R = {mine / rv:.2f}" if mine and rv > 0 else ""
            print(f"  R {name:<28} {1e3 * rv:9.2f} ms   {ratio}")
    print(
        f"\nphase-3 claims (82/99 vs 70/99, 78/99 vs 64/99), check_2x2 total: "
        f"{1e3 * total_phase3:.1f} ms (budget: well under 100 ms)"
    )


if __name__ == "__main__":
    main()
