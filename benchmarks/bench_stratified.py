"""Time gvhdstats.methods.stratified against R's mantelhaen.test and metafor in one run.

For K = 6, 100 and 10,000 strata (Berkeley admissions, then random strata of
20-200 patients), times the median of repeats of

  * ours: ``mantel_haenszel`` (OR, RR, RD), ``peto_odds_ratio``, ``cmh_test``
    (both corrections) and ``breslow_day_test`` (Tarone);
  * R: ``mantelhaen.test`` (OR, RBG CI, CMH) and ``metafor::rma.mh`` (OR with
    CMH and Tarone), timed inside R with ``proc.time()`` over repeated calls
    (process start-up excluded),

and prints the ratios ours / R.  Needs Rscript with metafor for the R side.

Run: python benchmarks/bench_stratified.py [--repeat 5]
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

from gvhdstats.methods.stratified import (
    breslow_day_test,
    cmh_test,
    mantel_haenszel,
    peto_odds_ratio,
)

UCB = [
    ((512, 825), (89, 108)),
    ((353, 560), (17, 25)),
    ((120, 325), (202, 593)),
    ((138, 417), (131, 375)),
    ((53, 191), (94, 393)),
    ((22, 373), (24, 341)),
]


def _random_strata(k: int, seed: int) -> list:
    rng = np.random.default_rng(seed)
    n1 = rng.integers(10, 100, k)
    n2 = rng.integers(10, 100, k)
    a = rng.binomial(n1, 0.4)
    c = rng.binomial(n2, 0.3)
    return [((int(x), int(m)), (int(y), int(n))) for x, m, y, n in zip(a, n1, c, n2, strict=True)]


def ours(strata) -> None:
    for measure in ("odds_ratio", "risk_ratio", "risk_difference"):
        mantel_haenszel(strata, measure=measure).confidence_interval()
    peto_odds_ratio(strata)
    cmh_test(strata)
    cmh_test(strata, correction=True)
    breslow_day_test(strata)


R_CODE = """
suppressPackageStartupMessages(library(metafor))
s <- as.matrix(read.csv("{path}", header = FALSE))
ai <- s[, 1]; bi <- s[, 2] - s[, 1]; ci <- s[, 3]; di <- s[, 4] - s[, 3]
arr <- array(0, c(2, 2, nrow(s)))
arr[1, 1, ] <- ai; arr[1, 2, ] <- bi; arr[2, 1, ] <- ci; arr[2, 2, ] <- di
reps <- {reps}
t0 <- proc.time()[["elapsed"]]
for (i in 1:reps) invisible(mantelhaen.test(arr))
t1 <- proc.time()[["elapsed"]]
for (i in 1:reps) invisible(suppressWarnings(rma.mh(ai = ai, bi = bi, ci = ci, di = di)))
t2 <- proc.time()[["elapsed"]]
cat((t1 - t0) / reps, (t2 - t1) / reps, "\\n")
"""


def r_times(strata, reps: int) -> tuple[float, float] | None:
    exe = shutil.which("Rscript")
    if exe is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.csv"
        path.write_text("\n".join(f"{a},{n1},{c},{n2}" for (a, n1), (c, n2) in strata) + "\n")
        script = Path(tmp) / "b.R"
        script.write_text(R_CODE.format(path=path, reps=reps))
        out = subprocess.run(
            [exe, "--vanilla", str(script)], capture_output=True, text=True, check=True
        ).stdout.split()
    return float(out[0]), float(out[1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    cases = [("UCB, K = 6", UCB), ("K = 100", _random_strata(100, 1))]
    cases.append(("K = 10,000", _random_strata(10_000, 2)))
    print(f"{'strata':<12} {'ours (s)':>10} {'mantelhaen':>11} {'rma.mh':>9} {'ours/mh':>8}")
    for name, strata in cases:
        ts = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            ours(strata)
            ts.append(time.perf_counter() - t0)
        t_ours = statistics.median(ts)
        r = r_times(strata, max(args.repeat, 3))
        if r is None:
            print(f"{name:<12} {t_ours:>10.4f}  (Rscript not found)")
            continue
        ratio = t_ours / r[0] if r[0] > 0 else float("inf")
        print(f"{name:<12} {t_ours:>10.4f} {r[0]:>11.4f} {r[1]:>9.4f} {ratio:>8.2f}")


if __name__ == "__main__":
    main()
