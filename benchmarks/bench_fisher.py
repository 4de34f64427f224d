"""Time Fisher's exact P value against ``scipy.stats.fisher_exact`` at every table size.

Target (issue 9): ours <= 2x scipy at any size.  Only the P value is asked for, so only
the central hypergeometric pmf near its mass is built (``_exact_pvalues``); the cache is
cleared before every call.  Also times ``check_2x2`` cold (first call in a fresh process,
imports included) against warm, in subprocesses.

Run: python benchmarks/bench_fisher.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

from scipy import stats

from gvhdstats import two_by_two_pvalue
from gvhdstats.methods.twobytwo import _exact_pvalues

TABLES = [
    (82, 99, 70, 99),
    (400, 1000, 350, 1000),
    (3800, 10000, 3650, 10000),
    (50000, 100000, 49000, 100000),
    (500000, 1000000, 490000, 1000000),
    (5000000, 10000000, 4990000, 10000000),
    (3, 10000000, 0, 10000000),
]

COLD = """
import time
t0 = time.perf_counter()
from gvhdstats import check_2x2
t1 = time.perf_counter()
check_2x2((82, 99), (70, 99), odds_ratio="2.00", ci=("1.01", "3.94"), p="0.043")
t2 = time.perf_counter()
check_2x2((78, 99), (64, 99), odds_ratio="2.02", ci=("1.08", "3.83"), p="0.027")
t3 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2)
"""


def _median(fn, repeat: int, clear=None) -> float:
    out = []
    for _ in range(repeat):
        if clear is not None:
            clear()
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return statistics.median(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    print(f"{'table':>40}  {'ours ms':>9}  {'scipy ms':>9}  ratio (target <= 2)")
    for a, n1, c, n2 in TABLES:
        ours = _median(
            lambda a=a, n1=n1, c=c, n2=n2: two_by_two_pvalue(
                (a, n1), (c, n2), method="fisher-exact"
            ),
            args.repeat,
            _exact_pvalues.cache_clear,
        )
        ref = _median(
            lambda a=a, n1=n1, c=c, n2=n2: stats.fisher_exact([[a, n1 - a], [c, n2 - c]]),
            args.repeat,
        )
        label = f"{a}/{n1} vs {c}/{n2}"
        print(f"{label:>40}  {1e3 * ours:9.3f}  {1e3 * ref:9.3f}  {ours / ref:.2f}")
    colds = []
    for _ in range(3):
        res = subprocess.run([sys.executable, "-c", COLD], capture_output=True, text=True)
        colds.append([float(v) for v in res.stdout.split()])
    imp, cold, warm = (statistics.median(c[i] for c in colds) for i in range(3))
    print(
        f"check_2x2 in a fresh process: import {1e3 * imp:.1f} ms, first call {1e3 * cold:.1f} ms,"
        f" second claim {1e3 * warm:.1f} ms (medians of 3)"
    )


if __name__ == "__main__":
    main()
