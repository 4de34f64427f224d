"""The suite's own rules: CI cannot pass without its references; numpy's error state is guarded."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conftest import in_ci, missing_reference


def test_missing_reference_fails_in_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    assert in_ci()
    with pytest.raises(pytest.fail.Exception, match="CI=true requires it"):
        missing_reference("Rscript is not on PATH")


def test_missing_reference_skips_on_a_laptop(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    assert not in_ci()
    with pytest.raises(pytest.skip.Exception, match="Rscript is not on PATH"):
        missing_reference("Rscript is not on PATH")


def test_numpy_errors_are_not_silenced_between_tests():
    # pyproject's filterwarnings = error plus numpy's default "warn" state make a
    # division by zero fail a test; the autouse fixture in conftest.py restores the
    # state after each test, so a third-party np.seterr cannot silence later tests.
    assert np.geterr()["divide"] == "warn"
    assert np.geterr()["invalid"] == "warn"
    with pytest.raises(RuntimeWarning):
        np.array([1.0]) / np.array([0.0])
