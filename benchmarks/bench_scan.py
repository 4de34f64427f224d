"""Abstracts per second per core for `gvhdstats scan`, checks included, next to R statcheck.

Times are CPU times (``time.process_time``, R ``proc.time`` user + system) so that
a machine shared with other jobs does not distort the per-core figure.

The corpus: the annotated texts of tests/scan/corpus.json (two-arm and single-arm
result abstracts in six journal styles and APA test statistics), repeated to
``--n`` texts.  Ours: ``scan`` + ``verify`` of each text, serially in one process
(one core), after one warm-up pass; the target is at least 50 abstracts/s/core.

The reference: R statcheck (Debian ``r-cran-statcheck``), which reads only APA
test statistics (t, F, chi2, r, z with df and P) and recomputes their P, timed on
the same texts in one ``Rscript`` run.  It does much less (no counts, ratios,
CIs or incidences), so the ratio says what the broader reading costs, not who is
faster at the same job.  Without Rscript or statcheck only our figure is printed.

Run: python benchmarks/bench_scan.py [--n 400]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

R_CODE = r"""
suppressPackageStartupMessages({library(statcheck); library(jsonlite)})
texts <- fromJSON(commandArgs(trailingOnly = TRUE)[1])
t0 <- proc.time()
res <- statcheck(texts, messages = FALSE)
d <- proc.time() - t0
el <- d[["user.self"]] + d[["sys.self"]]
cat(sprintf("%.6f %d %s\n", el, if (is.null(res)) 0L else nrow(res), packageVersion("statcheck")))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=400, help="number of texts")
    args = ap.parse_args()
    from gvhdstats.scan import Document, scan_document

    corpus = json.loads((ROOT / "tests" / "scan" / "corpus.json").read_text(encoding="utf-8"))
    texts = [corpus[i % len(corpus)]["text"] for i in range(args.n)]
    docs = [Document(f"t{i}", t) for i, t in enumerate(texts)]
    for d in docs[: len(corpus)]:  # warm-up: imports and caches
        scan_document(d).verify()
    t0, c0 = time.perf_counter(), time.process_time()
    claims = rows = 0
    for d in docs:
        res = scan_document(d)
        claims += len(res.claims)
        rows += len(res.verify())
    wall, ours = time.perf_counter() - t0, time.process_time() - c0
    print(
        f"gvhdstats scan + verify : {args.n} texts, {claims} claims, {rows} rows in "
        f"{ours:.2f} s CPU ({wall:.2f} s wall) -> {args.n / ours:.1f} abstracts per "
        "CPU-second = per core (target >= 50)"
    )
    rscript = shutil.which("Rscript")
    if rscript is None:
        print("R statcheck: Rscript not found; no reference timing")
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "texts.json"
        path.write_text(json.dumps(texts), encoding="utf-8")
        script = Path(tmp) / "bench.R"
        script.write_text(R_CODE, encoding="utf-8")
        proc = subprocess.run(
            [rscript, "--vanilla", str(script), str(path)], capture_output=True, text=True
        )
    if proc.returncode != 0:
        print(
            "R statcheck: not available (Debian package r-cran-statcheck):",
            proc.stderr.strip().splitlines()[-1:],
        )
        return
    el, found, version = proc.stdout.split()
    r_rate = args.n / float(el)
    print(
        f"R statcheck {version}      : {args.n} texts, {found} test statistics in "
        f"{float(el):.2f} s CPU -> {r_rate:.1f} texts per CPU-second (APA statistics only)"
    )
    print(f"ratio of CPU times statcheck / gvhdstats: {float(el) / ours:.2f}")


if __name__ == "__main__":
    main()
