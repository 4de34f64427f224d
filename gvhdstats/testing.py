"""Helpers for users' own test suites: pin the verdicts of a record.

>>> from gvhdstats.testing import assert_verdicts
>>> assert_verdicts("zhao2022", {("randomised-arms", "total"): "reproduced"})

A failing pin raises ``AssertionError`` with a table of what changed, so a
pytest run shows exactly which claim moved::

    claim            quantity  expected    actual
    randomised-arms  total     reproduced  inconsistent
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gvhdstats.checks.verdicts import VERDICTS
from gvhdstats.errors import InvalidArgumentError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from gvhdstats.records import Record

__all__ = ["assert_verdicts", "verdict_map"]

# reproduced, inconsistent, not-checkable, and plausible / implausible (verify --simulate)
_VERDICTS = VERDICTS


def verdict_map(record: str | Path | Record | pd.DataFrame) -> dict[tuple[str, str], str]:
    """``{(claim, quantity): verdict}`` for a record (or an already computed verify table).

    When a claim has several rows with the same quantity, the key gets a
    ``#2``, ``#3``... suffix on the quantity in row order.
    """
    import pandas as pd

    from gvhdstats.engine import verify

    frame = record if isinstance(record, pd.DataFrame) else verify(record)
    out: dict[tuple[str, str], str] = {}
    for claim, quantity, verdict in zip(
        frame["claim"], frame["quantity"], frame["verdict"], strict=True
    ):
        key = (claim, quantity)
        k = 2
        while key in out:
            key = (claim, f"{quantity}#{k}")
            k += 1
        out[key] = verdict
    return out


def _normalise(expected: Any) -> dict[tuple[str, str | None], str]:
    import pandas as pd

    if isinstance(expected, pd.DataFrame):
        missing = {"claim", "verdict"} - set(expected.columns)
        if missing:
            raise InvalidArgumentError(
                f"`expected` DataFrame needs columns 'claim' and 'verdict', missing {missing}"
            )
        qs = expected["quantity"] if "quantity" in expected else [None] * len(expected)
        items = {
            (c, q): v for c, q, v in zip(expected["claim"], qs, expected["verdict"], strict=True)
        }
    elif isinstance(expected, Mapping):
        items = {}
        for k, v in expected.items():
            if isinstance(k, tuple) and len(k) == 2:
                items[(str(k[0]), str(k[1]))] = v
            elif isinstance(k, str):
                items[(k, None)] = v
            else:
                raise InvalidArgumentError(
                    f"`expected` keys must be a claim id or (claim, quantity), got {k!r}"
                )
    else:
        raise InvalidArgumentError(
            f"`expected` must be a mapping or a DataFrame, got {type(expected).__name__}"
        )
    for k, v in items.items():
        if v not in _VERDICTS:
            raise InvalidArgumentError(
                f"`expected` verdict for {k!r} must be one of {_VERDICTS}, got {v!r}"
            )
    return items


def assert_verdicts(record: str | Path | Record, expected: Any) -> None:
    """Fail unless the record's verdicts match ``expected``.

    Parameters
    ----------
    record : str, path or Record
        A bundled record id, a record file, or a loaded record.
    expected : mapping or DataFrame
        ``{(claim, quantity): verdict}``, or ``{claim: verdict}`` meaning every
        row of that claim has this verdict, or a DataFrame with columns
        ``claim``, ``verdict`` and optionally ``quantity``.

    Raises
    ------
    AssertionError
        With a table of the pins that do not hold (expected vs actual; a pin
        naming a claim or quantity that no longer exists shows ``missing``).
    """
    want = _normalise(expected)
    have = verdict_map(record)
    problems: list[tuple[str, str, str, str]] = []
    for (claim, quantity), verdict in want.items():
        if quantity is None:
            actual = sorted({v for (c, _), v in have.items() if c == claim})
            got = ", ".join(actual) if actual else "missing"
            if actual != [verdict]:
                problems.append((claim, "*", verdict, got))
        else:
            got = have.get((claim, quantity), "missing")
            if got != verdict:
                problems.append((claim, quantity, verdict, got))
    if problems:
        header = ("claim", "quantity", "expected", "actual")
        widths = [max(len(h), *(len(p[i]) for p in problems)) for i, h in enumerate(header)]
        line = "  ".join(f"{{:<{w}}}" for w in widths)
        text = "\n".join(line.format(*r) for r in [header, *problems])
        raise AssertionError(f"{len(problems)} verdict(s) changed:\n{text}")
