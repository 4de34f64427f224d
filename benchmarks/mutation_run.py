"""Mutation run over the numbers layer and the 2x2, competing-risk and Fine-Gray methods.

Not part of the test command: it takes 10-30 minutes on 2 cores. It copies the tracked files
of the checkout into a scratch directory (so ``mutants/`` never lands in the work tree), runs
mutmut 3 there with the ``[tool.mutmut]`` settings of pyproject.toml (which modules are
mutated, which tests are run against them, R-live and slow tests excluded), and prints a
summary per function: killed, survived, no tests, timeouts.  The surviving mutants of the last
run, and what was done about each group, are in docs/testing.md.

Usage::

    pip install mutmut==3.8.1
    python benchmarks/mutation_run.py                      # everything configured
    python benchmarks/mutation_run.py "gvhdstats.numbers*" # one layer
    python benchmarks/mutation_run.py --keep /tmp/mut --diffs survivors.txt

``--diffs FILE`` writes the diff of every surviving mutant (``mutmut show``) to FILE.
"""

from __future__ import annotations

import argparse
import collections
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PATTERNS = ["gvhdstats.numbers*", "gvhdstats.methods*"]


def _copy_checkout(dest: Path) -> None:
    files = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True
    ).stdout.split(b"\0")
    for raw in files:
        if not raw:
            continue
        rel = Path(raw.decode())
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)


def _results(workdir: Path) -> list[tuple[str, str]]:
    out = subprocess.run(
        ["mutmut", "results", "--all", "true"],
        cwd=workdir,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rows = []
    for line in out.splitlines():
        m = re.match(r"\s*(\S+__mutmut_\d+): (.+)$", line)
        if m:
            rows.append((m.group(1), m.group(2).strip()))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("patterns", nargs="*", default=DEFAULT_PATTERNS)
    parser.add_argument("--keep", type=Path, help="work in this directory and keep it")
    parser.add_argument("--max-children", type=int, default=2)
    parser.add_argument("--diffs", type=Path, help="write surviving mutants' diffs here")
    args = parser.parse_args(argv)
    if shutil.which("mutmut") is None:
        print("mutmut is not installed: pip install mutmut==3.8.1", file=sys.stderr)
        return 2

    workdir = args.keep or Path(tempfile.mkdtemp(prefix="gvhdstats-mutmut-"))
    workdir.mkdir(parents=True, exist_ok=True)
    _copy_checkout(workdir)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    t0 = time.perf_counter()
    for pattern in args.patterns:
        subprocess.run(
            ["mutmut", "run", "--max-children", str(args.max_children), pattern],
            cwd=workdir,
            check=False,
            stdout=subprocess.DEVNULL,
        )
    elapsed = time.perf_counter() - t0

    rows = [
        (name, status)
        for name, status in _results(workdir)
        if any(re.fullmatch(p.replace(".", r"\.").replace("*", ".*"), name) for p in args.patterns)
    ]
    by_function: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for name, status in rows:
        by_function[name.rsplit("__mutmut_", 1)[0]][status] += 1
    totals = collections.Counter(status for _, status in rows)
    print(f"commit {commit}; {len(rows)} mutants in {elapsed:.0f} s; {dict(totals)}")
    killed = totals.get("killed", 0)
    tested = killed + totals.get("survived", 0)
    if tested:
        print(f"mutation score (killed / (killed + survived)): {killed / tested:.1%}")
    print(f"{'function':70s} {'killed':>7s} {'survived':>8s} {'no tests':>8s}")
    for func, counts in sorted(by_function.items()):
        if counts.get("survived") or counts.get("no tests"):
            print(
                f"{func:70s} {counts.get('killed', 0):7d} {counts.get('survived', 0):8d} "
                f"{counts.get('no tests', 0):8d}"
            )
    if args.diffs:
        with args.diffs.open("w") as fh:
            for name, status in rows:
                if status == "survived":
                    diff = subprocess.run(
                        ["mutmut", "show", name], cwd=workdir, capture_output=True, text=True
                    ).stdout
                    fh.write(f"== {name}\n{diff}\n")
    if args.keep is None:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
