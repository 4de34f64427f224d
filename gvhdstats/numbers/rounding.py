"""Printed numbers and the intervals they stand for.

A number printed in a paper ("82.8", "2.00", "<0.001", "P = .61") is kept as
the string it was printed as.  :class:`Reported` parses it once and derives the
interval of true values that, under a rounding mode, print as that string.
Every consistency check in gvhdstats compares recomputed values against such
intervals, never against the nominal value with a tolerance.

The rounding modes follow scrutiny's ``unround()`` (Jung 2024): ``half-up``
(ties away from zero: Stata, SAS, Excel, hand rounding), ``half-down``,
``half-even``, ``up-or-down`` (either tie rule: the closed interval),
``truncate``, ``ceiling`` and ``floor``.

The default, :data:`DEFAULT_MODE`, is ``up-or-down``: a true value exactly
halfway between two printable numbers may have been printed either way.
R and C print the *binary* value with round-half-even, so 13/16 = 81.25%
(exact in binary) prints as "81.2" in R (``sprintf("%.1f", 81.25)``) and as
"81.3" in Stata, SAS or Excel; a checker that assumed one rule would call
one of them wrong.  Checks say in their notes when a match needed a tie
(:meth:`Reported.at_tie`); the strict modes stay available through every
``mode`` argument.

The counts and totals a printed percentage allows are in
:mod:`gvhdstats.numbers.recover`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from gvhdstats.errors import InvalidArgumentError, ReportedNumberError

__all__ = [
    "DEFAULT_MODE",
    "MAX_DIGITS",
    "MAX_EXPONENT",
    "Reported",
    "RoundingInterval",
    "RoundingMode",
    "parse_interval",
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


#: The rounding mode every function uses unless told otherwise: an exact tie may
#: have been rounded either way (see the module docstring).
DEFAULT_MODE = RoundingMode.UP_OR_DOWN


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


#: Characters read as a minus sign: ASCII hyphen-minus, U+2212 MINUS SIGN, the
#: small and full-width hyphen-minus.  (An en dash is not a minus: it separates
#: the bounds of a range, "1·03–1·23".)
_MINUS = "-\u2212\ufe63\uff0d"
#: The same as a regex class body (hyphen escaped: "+-\u2212" would be a range).
_MINUS_CLASS = "\\-\u2212\ufe63\uff0d"
#: Decimal separators: the full stop and the Lancet's raised point U+00B7.
_POINT = ".\u00b7"
#: Thousands separators between groups of three digits ("10 000" with a thin,
#: narrow no-break, no-break or figure space); a plain space or a comma is not
#: accepted, because "1,234" and "1 234" are ambiguous in a single field.
_GROUP = "\u2009\u202f\u00a0\u2007"
#: Multiplication signs in "1.2 × 10^-5" (the raised point only when followed by 10).
_TIMES = "x\u00d7\u00b7\u22c5"
#: Superscript digits and signs, read in the exponent of "10⁻⁵" only.
_SUPER = "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079"
_SUPERSCRIPTS = str.maketrans(_SUPER + "\u207a\u207b", "0123456789+-")

_NUM_RE = re.compile(
    rf"""^\s*
    (?:(?P<label>[A-Za-z][A-Za-z ]*?)\s*)?                 # optional label such as "P" or "p"
    (?P<rel><=|>=|≤|≥|<|>|=)?\s*                           # optional relation
    (?P<sign>[+{_MINUS_CLASS}])?
    (?P<num>(?P<int>[1-9][0-9]{{0,2}}(?:[{_GROUP}][0-9]{{3}})+|[0-9]+)
             (?:[{_POINT}](?P<frac>[0-9]*))?
           |[{_POINT}](?P<frac2>[0-9]+))                     # the number
    (?:\s*(?:[eE](?P<exp>[+{_MINUS_CLASS}]?[0-9]+)
           |[{_TIMES}]\s*10\s*(?:\^\s*)?
            (?P<exp10>[+{_MINUS_CLASS}\u207a\u207b]?[0-9{_SUPER}]+)))?
    \s*(?P<pct>%)?\s*$""",
    re.VERBOSE,
)

#: Longest mantissa (digits) and largest exponent magnitude accepted: no journal
#: prints more, and anything beyond cannot be held by a double.
MAX_DIGITS = 50
MAX_EXPONENT = 400

_NO_GROUPS = str.maketrans("", "", _GROUP)

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

    Notes
    -----
    Accepted: an optional label (``"P"``, ``"HR"``), a relation (``=``,
    ``<``, ``<=``, ``≤``, ``>``, ``>=``, ``≥``), a sign (``-``, ``+`` or the
    Unicode minus U+2212), digits with a decimal point that is a full stop or
    the Lancet's raised point U+00B7 (``"0·83"``, ``"·001"``), thousands in
    groups of three separated by a thin, narrow no-break, no-break or figure
    space (``"10 000"``), an exponent (``"1.2e-5"``, ``"1.2 × 10^-5"``,
    ``"1·2 × 10⁻⁵"``) and a trailing ``%``.  Spaces of any Unicode kind may
    surround the parts.  Everything else raises :class:`ReportedNumberError`:
    commas (``"1,5"`` is a decimal comma or a thousands separator, the text
    cannot say which), more than :data:`MAX_DIGITS` digits, an exponent beyond
    +/-:data:`MAX_EXPONENT`, and values that a double cannot hold
    (``"1e400"``, ``"1e-400"``).  A range such as ``"1·03–1·23"`` is split by
    :func:`parse_interval`.

    Examples
    --------
    >>> r = Reported("2.00")
    >>> r.decimals, r.interval().low, r.interval().high
    (2, 1.995, 2.005)
    >>> Reported("<0.001").interval()
    RoundingInterval(low=-inf, high=0.001, low_closed=False, high_closed=False)
    >>> Reported("P = .61").value
    0.61
    >>> r = Reported("P < 0·001")
    >>> r.relation, r.value, r.decimals
    ('<', 0.001, 3)
    >>> Reported("−0·25").value
    -0.25
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
        if isinstance(text, int) and abs(text) >= 10**MAX_DIGITS:
            raise ReportedNumberError(
                f"`{name}` has more than {MAX_DIGITS} digits; no printed number is that long"
            )
        s = str(text)
        shown = s if len(s) <= 80 else s[:77] + "..."
        m = _NUM_RE.match(s)
        if m is None:
            raise ReportedNumberError(f"`{name}` is not a printed number: {shown!r}")
        int_part = (m.group("int") or "0").translate(_NO_GROUPS)
        frac = m.group("frac") if m.group("int") is not None else m.group("frac2")
        frac = frac or ""
        if len(int_part.lstrip("0")) + len(frac) > MAX_DIGITS:
            raise ReportedNumberError(
                f"`{name}` has more than {MAX_DIGITS} digits; no printed number is that long: "
                f"{shown!r}"
            )
        exp_text = m.group("exp") or m.group("exp10")
        e = 0
        if exp_text is not None:
            exp_text = exp_text.translate(_SUPERSCRIPTS).lstrip("+")
            neg_exp = exp_text[:1] in _MINUS
            digits = exp_text.lstrip(_MINUS).lstrip("0") or "0"
            if len(digits) > len(str(MAX_EXPONENT)) or int(digits) > MAX_EXPONENT:
                raise ReportedNumberError(
                    f"`{name}` has an exponent beyond +/-{MAX_EXPONENT}: {shown!r}"
                )
            e = -int(digits) if neg_exp else int(digits)
        sign = "-" if (m.group("sign") or "") in _MINUS and m.group("sign") else ""
        d = Decimal(f"{sign}{int_part}.{frac}" if frac else f"{sign}{int_part}").scaleb(e)
        decimals = len(frac) - e
        value = float(d)
        if not math.isfinite(value) or (value == 0.0 and d != 0):
            raise ReportedNumberError(
                f"`{name}` is outside the range of double-precision numbers: {shown!r}"
            )
        rel = _RELATIONS[m.group("rel")] if m.group("rel") else "="
        return cls(
            text=s,
            value=value,
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
        self, mode: RoundingMode | str = DEFAULT_MODE
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

    def interval(self, mode: RoundingMode | str = DEFAULT_MODE) -> RoundingInterval:
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

    def contains(self, x: float, mode: RoundingMode | str = DEFAULT_MODE) -> bool:
        """Whether the true value ``x`` prints as this number under ``mode``."""
        return self.interval(mode).contains(x)

    def contains_exact(self, x: Fraction | int, mode: RoundingMode | str = DEFAULT_MODE) -> bool:
        """Like :meth:`contains` for an exact rational ``x`` (no floating point)."""
        lo, hi, lc, hc = self.exact_bounds(mode)
        x = Fraction(x)
        ok_lo = lo is None or (x >= lo if lc else x > lo)
        ok_hi = hi is None or (x <= hi if hc else x < hi)
        return bool(ok_lo and ok_hi)

    def tie_values(self) -> tuple[Fraction, Fraction] | None:
        """The two exact ties around the printed value, ``x -/+ 0.5 * 10**-decimals``.

        ``None`` for an inequality (``"<0.001"`` has no rounding tie).
        """
        if self.relation != "=":
            return None
        x = Fraction(self._exact)
        h = Fraction(Decimal(5).scaleb(-self.decimals - 1))
        return x - h, x + h

    def at_tie(self, x: float | Fraction | int) -> bool:
        """Whether ``x`` lies exactly halfway between this number and a neighbour.

        Such a value prints as :attr:`text` under one tie rule and as the
        neighbour under the other (``Reported("81.2").at_tie(Fraction(1625, 20))``
        is True: 81.25 prints as "81.2" half-even, "81.3" half-up).  Rational
        ``x`` is compared exactly, a float up to :data:`BOUNDARY_RTOL`.

        Examples
        --------
        >>> Reported("81.2").at_tie(Fraction(1300, 16)), Reported("81.2").at_tie(81.2)
        (True, False)
        """
        ties = self.tie_values()
        if ties is None:
            return False
        if isinstance(x, Fraction | int) and not isinstance(x, bool):
            return Fraction(x) in ties
        xf = float(x)
        if math.isnan(xf):
            return False
        return any(abs(xf - float(t)) <= BOUNDARY_RTOL * max(1.0, abs(float(t))) for t in ties)


_RANGE_SPLIT = (
    re.compile(r"\s+to\s+", re.IGNORECASE),
    re.compile(r"\s*[\u2013\u2014]\s*"),  # en and em dash
    re.compile(r"\s*[,;]\s+|\s*;\s*"),
    # a hyphen after a digit or % and before a number: "1.03-1.23", "-0.7--0.1"
    re.compile(r"(?<=[0-9%])\s*-\s*(?=[-\u2212+]?[0-9.\u00b7])"),
)


def parse_interval(text: str, *, name: str = "ci") -> tuple[Reported, Reported]:
    """Split a printed range such as a CI into its two printed bounds.

    Parameters
    ----------
    text : str
        The printed range: ``"1·03–1·23"`` (Lancet), ``"1.03-1.23"``,
        ``"-0.7 to -0.1"``, ``"(0.48, 0.95)"``, ``"0·34 to 1·67"``.
    name : str
        Used in error messages.

    Returns
    -------
    (Reported, Reported)
        The bounds, each keeping its text as printed.

    Raises
    ------
    ReportedNumberError
        When ``text`` is not two printed numbers joined by ``to``, an en or em
        dash, a comma, a semicolon or a hyphen.

    Notes
    -----
    Separators are tried in the order ``to``, en/em dash, comma or semicolon,
    hyphen; a hyphen separates only when it follows a digit (so the minus of
    ``"-0.7--0.1"`` stays with its number).  Surrounding brackets are removed.
    A ``%`` printed after the upper bound only is not carried to the lower one.

    Examples
    --------
    >>> lo, hi = parse_interval("1·03–1·23")
    >>> lo.value, hi.value, hi.decimals
    (1.03, 1.23, 2)
    >>> [r.value for r in parse_interval("−0·7 to −0·1")]
    [-0.7, -0.1]
    """
    if not isinstance(text, str):
        raise ReportedNumberError(
            f"`{name}` must be the printed range as a string, but got {type(text).__name__}"
        )
    body = text.strip()
    if len(body) >= 2 and body[0] in "([" and body[-1] in ")]":
        body = body[1:-1].strip()
    for pattern in _RANGE_SPLIT:
        parts = pattern.split(body)
        if len(parts) == 2 and all(p.strip() for p in parts):
            return (
                Reported.parse(parts[0].strip(), name=f"{name}[0]"),
                Reported.parse(parts[1].strip(), name=f"{name}[1]"),
            )
    shown = text if len(text) <= 80 else text[:77] + "..."
    raise ReportedNumberError(f"`{name}` is not a printed range of two numbers: {shown!r}")
