"""Tests for gvhdstats.testing (pinning verdicts in users' suites)."""

from __future__ import annotations

import pandas as pd
import pytest

from gvhdstats.errors import InvalidArgumentError
from gvhdstats.testing import assert_verdicts, verdict_map


def test_pins_that_hold():
    assert_verdicts("zhao2022", {("randomised-arms", "total"): "reproduced"})
    assert_verdicts("zhao2022", {"mean-age": "not-checkable"})
    frame = pd.DataFrame({"claim": ["randomised-arms"], "verdict": ["reproduced"]})
    assert_verdicts("zhao2022", frame)


def test_changed_pins_give_a_table():
    with pytest.raises(AssertionError) as info:
        assert_verdicts(
            "zhao2022",
            {("randomised-arms", "total"): "inconsistent", ("gone", "p"): "reproduced"},
        )
    msg = str(info.value)
    assert msg.startswith("2 verdict(s) changed:")
    assert "randomised-arms  total     inconsistent  reproduced" in msg
    assert "missing" in msg


def test_bad_expectations():
    with pytest.raises(InvalidArgumentError, match="must be one of"):
        assert_verdicts("zhao2022", {"mean-age": "fine"})
    with pytest.raises(InvalidArgumentError, match="mapping or a DataFrame"):
        assert_verdicts("zhao2022", ["mean-age"])


def test_verdict_map_disambiguates_repeated_quantities():
    m = verdict_map("NCT02241018")
    assert ("background-response", "response_low") in m
    assert all(v in {"reproduced", "inconsistent", "not-checkable"} for v in m.values())
