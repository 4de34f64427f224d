"""Each committed R fixture generator, re-run into a temporary directory, writes the same files.

The fixtures in ``tests/reference/`` are the independent expected values of the
suite; this test shows they are what the committed scripts produce (byte for
byte, with the R and package versions recorded beside them), so no fixture can
be edited by hand or drift from its script.  Needs Rscript (skips on a laptop
without R, fails in CI).
"""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.conftest import REFERENCE_DIR

#: generator -> the files it writes (the last one records the versions)
GENERATORS = {
    "gen_competing.R": ["competing_cmprsk.json", "competing_versions.txt"],
    "gen_complement.R": ["complement_reference.json"],
    "gen_finegray.R": ["finegray_reference.json", "finegray_versions.txt"],
    "gen_hardening.R": ["hardening_reference.json"],
    "gen_incidence.R": ["incidence_reference.json"],
    "gen_statcheck.R": ["statcheck_reference.json"],
    "gen_meta.R": ["meta_reference.json", "meta_versions.txt"],
    "gen_stratified.R": ["stratified_reference.json"],
    "gen_survival.R": ["survival_reference.json", "survival_versions.txt"],
    "gen_teststat.R": ["teststat_reference.json"],
    "gen_twobytwo.R": [
        "twobytwo_reference.csv",
        "twobytwo_proportions.csv",
        "twobytwo_versions.txt",
    ],
}


def test_every_generator_is_listed():
    assert sorted(p.name for p in REFERENCE_DIR.glob("gen_*.R")) == sorted(GENERATORS)


@pytest.mark.parametrize("script", sorted(GENERATORS))
def test_committed_fixtures_record_versions(script):
    last = REFERENCE_DIR / GENERATORS[script][-1]
    text = last.read_text(encoding="utf-8")
    if last.suffix == ".json":
        doc = json.loads(text)
        # versions recorded as {"versions": {...}} or as r_version + packages
        text = json.dumps(doc.get("versions") or [doc.get("r_version"), doc.get("packages")])
    assert "R version" in text


@pytest.mark.r
@pytest.mark.parametrize("script", sorted(GENERATORS))
def test_generator_rewrites_the_committed_fixtures(script, rscript, tmp_path):
    proc = subprocess.run(
        [rscript, "--vanilla", str(REFERENCE_DIR / script), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(GENERATORS[script])
    for name in GENERATORS[script]:
        fresh = (tmp_path / name).read_bytes()
        committed = (REFERENCE_DIR / name).read_bytes()
        assert fresh == committed, (
            f"{name} differs from what {script} writes now: regenerate it with "
            f"`Rscript --vanilla tests/reference/{script}` and commit both"
        )
