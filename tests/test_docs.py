"""The documentation's examples run: doctested pages and the schema example record."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

from gvhdstats import verify

DOCS = Path(__file__).resolve().parents[1] / "docs"
PAGES = sorted(p.name for p in DOCS.glob("*.md") if ">>>" in p.read_text(encoding="utf-8"))


@pytest.mark.parametrize("page", PAGES)
def test_doctested_pages(page):
    res = doctest.testfile(
        str(DOCS / page),
        module_relative=False,
        optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS,
        verbose=False,
    )
    assert res.attempted > 0
    assert res.failed == 0


def test_worked_example_is_doctested():
    assert "worked-example.md" in PAGES


def test_schema_example_record_verifies(tmp_path):
    text = (DOCS / "records.md").read_text(encoding="utf-8")
    block = re.search(r"```toml\n(.*?)```", text, re.S).group(1)
    path = tmp_path / "example.toml"
    path.write_text(block)
    table = verify(path)
    rows = {q: r for q, r in zip(table["quantity"], table.itertuples(), strict=True)}
    # 100 + 100 = 200; 60/100 = 60.0%, 45/100 = 45.0%
    assert rows["total"].verdict == "reproduced"
    assert rows["percent[treatment]"].verdict == rows["percent[control]"].verdict == "reproduced"
    # R: epitools::oddsratio(matrix(c(55, 45, 40, 60), 2, byrow = TRUE), method = "midp")
    # gives 1.825853853 (1.04246248, 3.224138369), mid-p P 0.03520109266: prints as
    # 1.83 (1.04-3.22), 0.035.  Sample OR 60*55/(40*45) = 1.8333 with the Woolf CI
    # exp(ln 1.8333 +/- 1.96 sqrt(1/60 + 1/40 + 1/45 + 1/55)) = 1.0456-3.2143 prints 1.05-3.21.
    assert "median-unbiased" in rows["odds_ratio"].methods
    assert "mid-p" in rows["ci_low"].methods
    assert "mid-p" in rows["ci_high"].methods
    assert "wald" not in rows["ci_low"].methods
    assert "mid-p" in rows["p"].methods
    assert rows["joint[odds_ratio]"].verdict == "reproduced"
    assert "median-unbiased+mid-p+mid-p" in rows["joint[odds_ratio]"].methods


def test_ci_runs_exactly_the_readme_test_command():
    root = DOCS.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```bash\n(.*?)```", readme, re.S).group(1).splitlines()
    commands = [line.split("#")[0].strip() for line in block if line.strip()]
    assert commands[0].endswith("gvhdstats verify")
    ci_lines = [
        line.strip()
        for line in (root / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert ci_lines[-1] == commands[1]
