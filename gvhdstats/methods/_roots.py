"""Brent's root finder and bounded minimiser in pure Python (no ``scipy.optimize``).

``scipy.optimize`` takes about a third of a second to import, more than the
whole of ``gvhdstats verify`` otherwise needs, and the checks use it for one
function.  :func:`brentq` follows the same algorithm and the same stopping
rule as ``scipy.optimize.brentq`` (Brent 1973, in the form of Charles
Harris's ``brentq.c``: inverse quadratic extrapolation or secant
interpolation, bisection when the step is not short enough), so it returns the
same root to the requested tolerance.  :func:`fminbound` is Brent's bounded
minimiser (golden section with parabolic steps), the algorithm of
``scipy.optimize.minimize_scalar(method="bounded")``, with its stopping rule.

References
----------
Brent RP (1973). Algorithms for Minimization without Derivatives, chapter 4.
Prentice-Hall.
"""

from __future__ import annotations

import math
from collections.abc import Callable

__all__ = ["brentq", "fminbound"]

_EPS = 2.220446049250313e-16


def brentq(
    f: Callable[..., float],
    a: float,
    b: float,
    args: tuple = (),
    xtol: float = 2e-12,
    rtol: float = 4 * _EPS,
    maxiter: int = 100,
) -> float:
    """A root of ``f`` in ``[a, b]``, where ``f(a)`` and ``f(b)`` differ in sign.

    Stops when the bracket is narrower than ``xtol + rtol * |x|`` (as
    ``scipy.optimize.brentq``, whose defaults these are).

    Raises
    ------
    ValueError
        ``f(a)`` and ``f(b)`` have the same sign, a value is NaN, or
        ``maxiter`` iterations do not converge (``RuntimeError`` in scipy).
    """
    if rtol < 4 * _EPS:
        raise ValueError(f"rtol too small ({rtol:g} < {4 * _EPS:g})")
    xpre, xcur = float(a), float(b)
    fpre, fcur = float(f(xpre, *args)), float(f(xcur, *args))
    if math.isnan(fpre) or math.isnan(fcur):
        raise ValueError("f(a) or f(b) is NaN")
    if fpre * fcur > 0:
        raise ValueError("f(a) and f(b) must have different signs")
    if fpre == 0:
        return xpre
    if fcur == 0:
        return xcur
    xblk = fblk = spre = scur = 0.0
    for _ in range(maxiter):
        if fpre != 0 and fcur != 0 and (fpre < 0) != (fcur < 0):
            xblk, fblk = xpre, fpre
            spre = scur = xcur - xpre
        if abs(fblk) < abs(fcur):
            xpre, xcur, xblk = xcur, xblk, xcur
            fpre, fcur, fblk = fcur, fblk, fcur
        delta = (xtol + rtol * abs(xcur)) / 2
        sbis = (xblk - xcur) / 2
        if fcur == 0 or abs(sbis) < delta:
            return xcur
        if abs(spre) > delta and abs(fcur) < abs(fpre):
            if xpre == xblk:  # secant interpolation
                stry = -fcur * (xcur - xpre) / (fcur - fpre)
            else:  # inverse quadratic extrapolation
                dpre = (fpre - fcur) / (xpre - xcur)
                dblk = (fblk - fcur) / (xblk - xcur)
                stry = -fcur * (fblk * dblk - fpre * dpre) / (dblk * dpre * (fblk - fpre))
            if 2 * abs(stry) < min(abs(spre), 3 * abs(sbis) - delta):
                spre, scur = scur, stry  # a good short step
            else:
                spre = scur = sbis
        else:
            spre = scur = sbis
        xpre, fpre = xcur, fcur
        if abs(scur) > delta:
            xcur += scur
        else:
            xcur += delta if sbis > 0 else -delta
        fcur = float(f(xcur, *args))
        if math.isnan(fcur):
            raise ValueError(f"f({xcur!r}) is NaN")
    raise ValueError(f"brentq did not converge in {maxiter} iterations")


def fminbound(
    f: Callable[[float], float], a: float, b: float, xatol: float = 1e-5, maxfun: int = 500
) -> tuple[float, float]:
    """``(x, f(x))`` at a local minimum of ``f`` on ``[a, b]`` (Brent's method).

    Golden-section search with parabolic interpolation; stops when the
    bracket around the best point is within ``2 * (sqrt(eps) |x| + xatol / 3)``
    (the rule of ``scipy.optimize.minimize_scalar(method="bounded")``) or after
    ``maxfun`` evaluations.
    """
    sqrt_eps = math.sqrt(2.2e-16)
    golden_mean = 0.5 * (3.0 - math.sqrt(5.0))
    a, b = float(a), float(b)
    fulc = a + golden_mean * (b - a)
    nfc = xf = fulc
    rat = e = 0.0
    fx = float(f(xf))
    num = 1
    ffulc = fnfc = fx
    xm = 0.5 * (a + b)
    tol1 = sqrt_eps * abs(xf) + xatol / 3.0
    tol2 = 2.0 * tol1
    while abs(xf - xm) > (tol2 - 0.5 * (b - a)):
        golden = True
        if abs(e) > tol1:  # try a parabola through the three best points
            golden = False
            r = (xf - nfc) * (fx - ffulc)
            q = (xf - fulc) * (fx - fnfc)
            p = (xf - fulc) * q - (xf - nfc) * r
            q = 2.0 * (q - r)
            if q > 0.0:
                p = -p
            q = abs(q)
            r, e = e, rat
            if abs(p) < abs(0.5 * q * r) and q * (a - xf) < p < q * (b - xf):
                rat = p / q
                x = xf + rat
                if (x - a) < tol2 or (b - x) < tol2:
                    rat = tol1 * (1.0 if xm >= xf else -1.0)
            else:
                golden = True
        if golden:
            e = (a - xf) if xf >= xm else (b - xf)
            rat = golden_mean * e
        x = xf + (1.0 if rat >= 0 else -1.0) * max(abs(rat), tol1)
        fu = float(f(x))
        num += 1
        if fu <= fx:
            if x >= xf:
                a = xf
            else:
                b = xf
            fulc, ffulc = nfc, fnfc
            nfc, fnfc = xf, fx
            xf, fx = x, fu
        else:
            if x < xf:
                a = x
            else:
                b = x
            if fu <= fnfc or nfc == xf:
                fulc, ffulc = nfc, fnfc
                nfc, fnfc = x, fu
            elif fu <= ffulc or fulc in (xf, nfc):
                fulc, ffulc = x, fu
        xm = 0.5 * (a + b)
        tol1 = sqrt_eps * abs(xf) + xatol / 3.0
        tol2 = 2.0 * tol1
        if num >= maxfun:
            break
    return xf, fx
