"""Printed numbers and the intervals they stand for.

A number printed in a paper ("82.8", "2.00", "<0.001", "P = .61") is kept as
the string it was printed as.  :class:`Reported` parses it once and derives the
interval of true values that, under a rounding mode, print as that string.
Every consistency check in gvhdstats compares recomputed values against such
intervals, never against the nominal value with a tolerance.

The rounding modes follow scrutiny's ``unround()`` (Jung 2024): ``half-up``
(the default; ties away from zero, as most statistical software prints),
``half-down``, ``half-even``, ``up-or-down`` (either tie rule: the closed
interval), ``truncate``, ``ceiling`` and ``floor``.

The counts and totals a printed percentage allows are in
:mod:`gvhdstats.numbers.recover`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from fractions import Fraction

from gvhdstats.errors import InvalidArgumentError, ReportedNumberError

__all__ = [
    "Reported",
    "RoundingInterval",
    "RoundingMode",
]

#: Relative slack applied at interval bounds so that a recomputed value that
#: lies on a rounding boundary up to floating-point error is not misjudged.
BOUNDARY_RTOL = 1e-12


class RoundingMode(StrEnum):
    """How a printed number was rounded from the true value."""

    HALF_UP = "half-up"
    HALF_DOWN = "half-down"
    HALF_EVEN = "half-even"
    UP_OR_DOWN = "up-or-down"
    TRUNCATE = "truncate"
    CEILING = "ceiling"
    FLOOR = "floor"

    @classmethod
    def coerce(cls, value: RoundingMode | str, name: str = "mode") -> RoundingMode:
        """Return the member for ``value``, raising a message that names ``name``."""
        if isinstance(value, cls):
            return value
        try:
            return cls(str(value).lower())
        except ValueError:
            allowed = ", ".join(repr(m.value) for m in cls)
            raise InvalidArgumentError(
                f"`{name}` must be one of {allowed}, but got {value!r}"
            ) from None


@dataclass(frozen=True)
class RoundingInterval:
    """The set of true values a printed number can stand for.

    Attributes
    ----------
    low, high : float
        Bounds (``-inf``/``inf`` for one-sided statements such as ``"<0.001"``).
    low_closed, high_closed : bool
        Whether each bound belongs to the interval.
    """

    low: float
    high: float
    low_closed: bool = True
    high_closed: bool = False

    def contains(self, x: float) -> bool:
        """True when ``x`` lies in the interval (bounds judged up to ``BOUNDARY_RTOL``)."""
        if x is None or (isinstance(x, float) and math.isnan(x)):
            return False
        slack_lo = BOUNDARY_RTOL * max(1.0, abs(self.low)) if math.isfinite(self.low) else 0.0
        slack_hi = BOUNDARY_RTOL * max(1.0, abs(self.high)) if math.isfinite(self.high) else 0.0
        lo_ok = x > self.low - slack_lo if self.low_closed else x > self.low + slack_lo
        hi_ok = x < self.high + slack_hi if self.high_closed else x < self.high - slack_hi
        # A value exactly equal to an open bound is excluded; the slack only
        # forgives floating-point error on closed bounds.
        if not self.low_closed and x == self.low:
            lo_ok = False
        if not self.high_closed and x == self.high:
            hi_ok = False
        return bool(lo_ok and hi_ok)

    def distance(self, x: float) -> float:
        """Distance from ``x`` to the interval (0 inside)."""
        if x is None or math.isnan(x):
            return math.inf
        if self.contains(x):
            return 0.0
        if x < self.low:
            return self.low - x
        if x > self.high:
            return x - self.high
        return 0.0

    def __str__(self) -> str:
        lb = "[" if self.low_closed else "("
        rb = "]" if self.high_closed else ")"
        return f"{lb}{self.low!r}, {self.high!r}{rb}"


_NUM_RE = re.compile(
    r"""^\s*
    (?:(?P<label>[A-Za-z][A-Za-z ]*?)\s*)?          # optional label such as "P" or "p"
    (?P<rel><=|>=|≤|≥|<|>|=)?\s*                    # optional relation
    (?P<num>[+-−]?(?:\d+\.?\d*|\.\d+))               # the number
    (?:\s*(?:[eE](?P<exp>[+-−]?\d+)|\s*[x×·]\s*10\^?(?P<exp10>[+-−]?\d+)))?
    \s*(?P<pct>%)?\s*$""",
    re.VERBOSE,
)

_RELATIONS = {"<=": "<=", "≤": "<=", ">=": ">=", "≥": ">=", "<": "<", ">": ">", "=": "="}


@dataclass(frozen=True)
class Reported:
    """A number exactly as printed, with the precision the printing implies.

    Parameters
    ----------
    text : str
        The printed string, e.g. ``"2.00"``, ``"<0.001"``, ``"P = .61"``, ``"39.5%"``.

    Attributes
    ----------
    text : str
        The string as given.
    value : float
        The nominal printed value (``0.001`` for ``"<0.001"``).
    decimals : int
        Number of printed decimal places (may be negative for ``"1.2e3"``-style input).
    relation : str
        ``"="`` for a plain number, else one of ``"<"``, ``"<="``, ``">"``, ``">="``.
    percent : bool
        Whether a ``%`` sign was printed.

    Examples
    --------
    >>> r = Reported("2.00")
    >>> r.decimals, r.interval().low, r.interval().high
    (2, 1.995, 2.005)
    >>> Reported("<0.001").interval()
    RoundingInterval(low=-inf, high=0.001, low_closed=False, high_closed=False)
    >>> Reported("P = .61").value
    0.61
    """

    text: str
    value: float
    decimals: int
    relation: str = "="
    percent: bool = False
    _exact: Decimal = Decimal(0)

    @classmethod
    def parse(cls, text: str | Reported, *, name: str = "value") -> Reported:
        """Parse a printed number; ``name`` is used in error messages.

        Floats are refused because they have lost the printed precision
        (``2.0`` cannot tell ``"2.0"`` from ``"2.00"``); integers are exact.
        """
        if isinstance(text, Reported):
            return text
        if isinstance(text, bool) or not isinstance(text, str | int):
            raise ReportedNumberError(
                f"`{name}` must be the printed string (e.g. '2.00'), so that its precision "
                f"is known, but got {type(text).__name__} {text!r}"
            )
        s = str(text)
        m = _NUM_RE.match(s.replace("−", "-"))
        if m is None:
            raise ReportedNumberError(f"`{name}` is not a printed number: {text!r}")
        num = m.group("num")
        try:
            d = Decimal(num)
        except InvalidOperation:  # pragma: no cover - the regex admits only numbers
            raise ReportedNumberError(f"`{name}` is not a printed number: {text!r}") from None
        decimals = len(num.split(".")[1]) if "." in num else 0
        exp = m.group("exp") or m.group("exp10")
        if exp is not None:
            e = int(exp.replace("−", "-"))
            d = d.scaleb(e)
            decimals -= e
        rel = _RELATIONS[m.group("rel")] if m.group("rel") else "="
        return cls(
            text=s,
            value=float(d),
            decimals=decimals,
            relation=rel,
            percent=m.group("pct") is not None,
            _exact=d,
        )

    def __init__(
        self,
        text: str,
        value: float | None = None,
        decimals: int | None = None,
        relation: str = "=",
        percent: bool = False,
        _exact: Decimal | None = None,
    ) -> None:
        if value is None:
            parsed = Reported.parse(text)
            value, decimals, relation = parsed.value, parsed.decimals, parsed.relation
            percent, _exact = parsed.percent, parsed._exact
        object.__setattr__(self, "text", str(text))
        object.__setattr__(self, "value", float(value))
        object.__setattr__(self, "decimals", int(decimals if decimals is not None else 0))
        object.__setattr__(self, "relation", relation)
        object.__setattr__(self, "percent", bool(percent))
        object.__setattr__(
            self, "_exact", _exact if _exact is not None else Decimal(repr(float(value)))
        )

    def __repr__(self) -> str:
        return f"Reported({self.text!r})"

    @property
    def exact(self) -> Decimal:
        """The nominal value as an exact decimal."""
        return self._exact

    @property
    def half_unit(self) -> Decimal:
        """Half of one unit in the last printed place, ``0.5 * 10**-decimals``."""
        return Decimal(5).scaleb(-self.decimals - 1)

    def exact_bounds(
        self, mode: RoundingMode | str = RoundingMode.HALF_UP
    ) -> tuple[Fraction, Fraction, bool, bool]:
        """Exact (rational) bounds and closedness of :meth:`interval`."""
        mode = RoundingMode.coerce(mode)
        x = Fraction(self._exact)
        if self.relation != "=":
            inf = None
            if self.relation in ("<", "<="):
                return (inf, x, False, self.relation == "<=")  # type: ignore[return-value]
            return (x, inf, self.relation == ">=", False)  # type: ignore[return-value]
        unit = Fraction(Decimal(1).scaleb(-self.decimals))
        h = unit / 2
        neg = x < 0
        if x == 0 and mode in (RoundingMode.HALF_UP, RoundingMode.HALF_DOWN):
            # both ties of a printed zero lie on the same side of the rule: half-up sends
            # -h and +h away from zero (open bounds), half-down keeps both at zero (closed)
            closed = mode is RoundingMode.HALF_DOWN
            return (x - h, x + h, closed, closed)
        if x == 0 and mode is RoundingMode.TRUNCATE:
            # truncation towards zero prints everything strictly between -1 and +1 unit as 0
            return (x - unit, x + unit, False, False)
        if mode is RoundingMode.HALF_UP:
            # ties away from zero
            return (x - h, x + h, True, False) if not neg else (x - h, x + h, False, True)
        if mode is RoundingMode.HALF_DOWN:
            return (x - h, x + h, False, True) if not neg else (x - h, x + h, True, False)
        if mode is RoundingMode.UP_OR_DOWN:
            return (x - h, x + h, True, True)
        if mode is RoundingMode.HALF_EVEN:
            last_digit = int(abs(self._exact).scaleb(self.decimals)) % 10
            even = last_digit % 2 == 0
            return (x - h, x + h, even, even)
        if mode is RoundingMode.TRUNCATE:
            return (x, x + unit, True, False) if not neg else (x - unit, x, False, True)
        if mode is RoundingMode.CEILING:
            return (x - unit, x, False, True)
        # FLOOR
        return (x, x + unit, True, False)

    def interval(self, mode: RoundingMode | str = RoundingMode.HALF_UP) -> RoundingInterval:
        """The interval of true values that print as :attr:`text` under ``mode``.

        ``"<x"`` gives ``(-inf, x)``, ``"<=x"`` gives ``(-inf, x]`` and
        similarly for ``>``; the bound of an inequality is taken as exact.
        """
        lo, hi, lc, hc = self.exact_bounds(mode)
        return RoundingInterval(
            low=-math.inf if lo is None else float(lo),
            high=math.inf if hi is None else float(hi),
            low_closed=lc,
            high_closed=hc,
        )

    def contains(self, x: float, mode: RoundingMode | str = RoundingMode.HALF_UP) -> bool:
        """Whether the true value ``x`` prints as this number under ``mode``."""
        return self.interval(mode).contains(x)

    def contains_exact(
        self, x: Fraction | int, mode: RoundingMode | str = RoundingMode.HALF_UP
    ) -> bool:
        """Like :meth:`contains` for an exact rational ``x`` (no floating point)."""
        lo, hi, lc, hc = self.exact_bounds(mode)
        x = Fraction(x)
        ok_lo = lo is None or (x >= lo if lc else x > lo)
        ok_hi = hi is None or (x <= hi if hc else x < hi)
        return bool(ok_lo and ok_hi)
