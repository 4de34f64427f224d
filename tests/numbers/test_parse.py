"""Printed numbers as journals print them, and everything else rejected with the package error.

Expected values are the numbers as a reader reads the printed text (the Lancet's raised
point U+00B7 is its decimal point, U+2212 is a minus sign, a thin space groups thousands);
the property tests assert the parser's promise on arbitrary strings.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gvhdstats.errors import ReportedNumberError
from gvhdstats.numbers import MAX_DIGITS, Reported, parse_interval


@pytest.mark.parametrize(
    ("text", "exact", "decimals", "relation"),
    [
        ("0·83", "0.83", 2, "="),  # Lancet raised decimal point
        ("·001", "0.001", 3, "="),
        ("P<.001", "0.001", 3, "<"),
        ("P < 0·001", "0.001", 3, "<"),  # thin spaces around the relation
        ("p\u2009=\u20090·05", "0.05", 2, "="),
        ("\u22120·25", "-0.25", 2, "="),  # U+2212 MINUS SIGN
        ("−1·2e−3", "-0.0012", 4, "="),  # minus signs in mantissa and exponent
        ("10\u2009000", "10000", 0, "="),  # thin space groups thousands
        ("1\u202f234.5", "1234.5", 1, "="),  # narrow no-break space
        ("1.2 × 10^-5", "0.000012", 6, "="),
        ("1·2 × 10⁻⁵", "0.000012", 6, "="),  # superscript exponent
        ("2·10^5", "200000", -5, "="),  # the raised point before 10^ multiplies
        ("39.5\u202f%", "39.5", 1, "="),
        ("≤ 0·05", "0.05", 2, "<="),
    ],
)
def test_journal_forms(text, exact, decimals, relation):
    r = Reported.parse(text)
    assert r.exact == Decimal(exact)
    assert r.value == float(Decimal(exact))
    assert r.decimals == decimals
    assert r.relation == relation
    assert r.text == text


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("1e400", "outside the range of double-precision"),  # overflows a double
        ("1e-400", "outside the range of double-precision"),  # underflows to 0
        ("9e308", "outside the range of double-precision"),
        ("1e99999999999999999999", "exponent beyond"),  # would overflow `decimal`
        ("1e-99999999999999999999", "exponent beyond"),
        ("1e+\u22123", "not a printed number"),  # two signs
        # '+' .. U+2212 spanned digits and letters in the old sign class
        ("1e5a", "not a printed number"),
        ("1eA", "not a printed number"),
        ("1,5", "not a printed number"),  # decimal comma or thousands: ambiguous
        ("1 000", "not a printed number"),  # plain space: ambiguous
        ("12\u200934", "not a printed number"),  # groups of three only
        ("2²", "not a printed number"),  # superscripts only in an exponent of 10
        ("٣", "not a printed number"),  # Arabic-Indic digit
        ("1" * (MAX_DIGITS + 1), "more than"),
    ],
)
def test_rejects_with_package_error(text, match):
    with pytest.raises(ReportedNumberError, match=match):
        Reported.parse(text, name="p")


def test_huge_integer_input_is_refused():
    with pytest.raises(ReportedNumberError, match="more than"):
        Reported.parse(10**5000)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("1·03–1·23", "1.03", "1.23"),  # Lancet: raised points, en dash
        ("1.03-1.23", "1.03", "1.23"),
        ("-0.7 to -0.1", "-0.7", "-0.1"),
        ("\u22120·7 to \u22120·1", "-0.7", "-0.1"),
        ("-0.7--0.1", "-0.7", "-0.1"),  # the hyphen after a digit separates
        ("(0.48, 0.95)", "0.48", "0.95"),
        ("[29·3—49·4]", "29.3", "49.4"),  # em dash
    ],
)
def test_parse_interval(text, low, high):
    lo, hi = parse_interval(text)
    assert (lo.exact, hi.exact) == (Decimal(low), Decimal(high))


@pytest.mark.parametrize("text", ["1.2", "1-2-3", "to", "1.2 to", "a–b"])
def test_parse_interval_rejects(text):
    with pytest.raises(ReportedNumberError):
        parse_interval(text)


# ---------------------------------------------------------------------------
# properties
# ---------------------------------------------------------------------------

#: Characters that matter to the parser, mixed with arbitrary text.
_ALPHABET = st.sampled_from(
    [
        *"0123456789.·,eExX×⋅^%<>=≤≥+-−Pp ",
        *("\u2009", "\u202f", "\xa0", "⁻", "⁵", "²", "–", "٣", "\x00", "\n"),
    ]
)


@settings(
    max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None, database=None
)
@given(st.one_of(st.text(_ALPHABET, max_size=30), st.text(max_size=30)))
def test_any_string_parses_or_raises_the_package_error(text):
    try:
        r = Reported.parse(text)
    except ReportedNumberError:
        return
    # when it parses, the result is a finite number with an integer precision
    assert r.value == r.value
    assert abs(r.value) != float("inf")
    assert isinstance(r.decimals, int)
    assert r.relation in ("=", "<", "<=", ">", ">=")
    # and its rounding interval can be formed without error
    r.interval()
    r.interval("half-even")


@settings(max_examples=200, deadline=None, database=None)
@given(st.text(max_size=40))
def test_any_string_parse_interval_parses_or_raises(text):
    try:
        lo, hi = parse_interval(text)
    except ReportedNumberError:
        return  # any other exception fails the test
    assert isinstance(lo, Reported)
    assert isinstance(hi, Reported)


@st.composite
def _printed(draw):
    """A number and how a journal might print it."""
    negative = draw(st.booleans())
    int_digits = draw(st.integers(min_value=0, max_value=99_999))
    frac = draw(st.text("0123456789", min_size=0, max_size=6))
    exp = draw(st.one_of(st.none(), st.integers(min_value=-30, max_value=30)))
    point = draw(st.sampled_from([".", "·"]))
    minus = draw(st.sampled_from(["-", "\u2212"]))
    rel = draw(st.sampled_from(["", "<", ">", "<=", "≥", "P = ", "P<", "p ≤ "]))
    pct = draw(st.sampled_from(["", "%", "\u202f%"]))
    grouped = draw(st.booleans())
    int_text = str(int_digits)
    if grouped and int_digits >= 1000:
        int_text = f"{int_digits:,}".replace(",", "\u2009")
    body = int_text + (point + frac if frac else "")
    exp_text = ""
    if exp is not None:
        exp_text = draw(st.sampled_from([f"e{exp}", f" × 10^{exp}", f"E{exp:+d}"]))
    exact = Decimal(f"{'-' if negative else ''}{int_digits}.{frac or '0'}").scaleb(exp or 0)
    decimals = len(frac) - (exp or 0)
    text = f"{rel}{minus if negative else ''}{body}{exp_text}{pct}"
    return text, exact, decimals, bool(pct)


@settings(max_examples=300, deadline=None, database=None)
@given(_printed())
def test_render_then_parse_round_trips(case):
    text, exact, decimals, pct = case
    r = Reported.parse(text)
    assert r.exact == exact
    assert r.decimals == decimals
    assert r.percent is pct
    assert r.value == float(exact)
