"""Time `gvhdstats verify` over all bundled records against importing its heavy dependencies.

The budget (issue 2): the whole verification must take no more than 1.5 times as long as
``python -c "import numpy, scipy.stats, pandas"`` on the same machine; the target of issue 9
is 0.6 times.  The command line renders from plain rows (``engine.verify_dicts``,
``render.render_rows``) and does not import pandas.  Both are run as fresh processes,
alternately, several times; the medians and their ratio are printed.

Run: python benchmarks/bench_verify.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

BASELINE = [sys.executable, "-c", "import numpy, scipy.stats, pandas"]
VERIFY = [sys.executable, "-m", "gvhdstats.cli", "verify", "--format", "csv"]


def _time(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    _time(BASELINE)  # warm the file cache
    _time(VERIFY)
    base, ver = [], []
    for _ in range(args.repeat):
        base.append(_time(BASELINE))
        ver.append(_time(VERIFY))
    b, v = statistics.median(base), statistics.median(ver)
    print(f"import numpy, scipy.stats, pandas : median {b:.3f} s over {args.repeat} runs")
    print(f"gvhdstats verify (all records)    : median {v:.3f} s over {args.repeat} runs")
    print(
        f"ratio verify / imports            : {v / b:.2f}  "
        "(target 0.60, issue 9; budget 1.50, issue 2)"
    )


if __name__ == "__main__":
    main()
