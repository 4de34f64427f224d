"""Arithmetic claims: parts that must add up, and dosing schedules.

Two claim types are checked here:

``sum``
    Printed parts that must add up to a printed total: arm sizes to the
    enrolled total, or percentages such as ORR = CR + PR.  Counts must add up
    exactly.  Percentages are checked in two ways: by interval arithmetic on
    the rounding intervals (``interval-sum``: the sum of the parts' intervals
    must meet the total's interval), and, when the common denominator ``n`` is
    known, by counts (``count-sum``: some counts that print as the parts add
    up to a count that prints as the total; GRIM for sums).

``dose-schedule``
    A per-administration dose and a schedule (administrations per week for a
    number of weeks, or a list of days) imply the number of administrations and
    the cumulative dose; a printed total number of doses ("six doses totally")
    or cumulative dose is checked exactly against them.
"""

from __future__ import annotations

from fractions import Fraction

from gvhdstats.checks.verdicts import CheckRow, Verdict
from gvhdstats.numbers import CountRange, Reported, recover_counts
from gvhdstats.records import Claim, Record

__all__ = ["check_dose_schedule_claim", "check_sum_claim", "schedule_doses"]


def _interval_sum_meets(parts: list[Reported], total: Reported) -> tuple[bool, float, float]:
    lo = Fraction(0)
    hi = Fraction(0)
    for p in parts:
        plo, phi, _, _ = p.exact_bounds()
        lo += plo
        hi += phi
    tlo, thi, _, _ = total.exact_bounds()
    meets = hi > tlo and lo < thi
    return meets, float(lo), float(hi)


def check_sum_claim(claim: Claim, record: Record) -> list[CheckRow]:
    """Check a ``sum`` claim (parts adding up to a total)."""
    total = claim.printed_number("total")
    if total is None:
        raise claim.error("is required for a sum claim", "printed.total")
    parts = claim.printed_list("parts")
    if len(parts) < 2:
        raise claim.error("needs at least two printed parts", "printed.parts")
    unit = claim.get("unit", "count")
    joined = " + ".join(p.text for p in parts)
    if unit == "count":
        if any(p.decimals != 0 for p in [*parts, total]):
            raise claim.error("counts must be printed as integers", "printed.parts")
        s = sum(int(p.exact) for p in parts)
        ok = s == int(total.exact)
        return [
            CheckRow(
                "total",
                total.text,
                Verdict.REPRODUCED if ok else Verdict.INCONSISTENT,
                ("exact-sum",) if ok else (),
                float(s),
                None,
                f"{joined} = {s}",
            )
        ]
    if unit != "percent":
        raise claim.error(f"must be 'count' or 'percent', got {unit!r}", "unit")
    meets, lo, hi = _interval_sum_meets(parts, total)
    methods = ["interval-sum"] if meets else []
    note = f"{joined} lies in [{lo!r}, {hi!r})"
    recomputed = float(sum(Fraction(p.exact) for p in parts))
    recomputed_method = "printed-sum"  # the sum of the parts as printed
    n = claim.integer("n")
    if n is not None:
        # each part's counts are consecutive integers, so their sums are too: the closed form
        # [sum of lows, sum of highs] instead of every combination (bounded for any n)
        options = [recover_counts(p, n) for p in parts]
        if all(options):
            sums = CountRange(sum(o.low for o in options), sum(o.high for o in options))
        else:
            sums = CountRange(0, -1)
        fit = recover_counts(total, n)
        hits = CountRange(max(sums.low, fit.low), min(sums.high, fit.high, n))
        if sums and fit and hits:
            methods.append("count-sum")
            recomputed = 100 * hits[0] / n
            recomputed_method = "count-sum"
        counts = " + ".join(_counts_text(o) for o in options)
        note += f"; with n = {n}: counts {counts} give totals {_counts_text(sums, brackets=True)}"
        assumption = claim.assumption_note("n")
        if assumption:
            note += f"; {assumption}"
        if not hits:
            methods = []
    verdict = Verdict.REPRODUCED if methods else Verdict.INCONSISTENT
    return [
        CheckRow(
            "total",
            total.text,
            verdict,
            tuple(methods),
            recomputed,
            None,
            note,
            recomputed_method=recomputed_method,
        )
    ]


def _counts_text(counts: CountRange, *, brackets: bool = False) -> str:
    """``"10"``, ``"9/10/11"`` or ``"9..1000"`` (``[9, 10, 11]`` with ``brackets``)."""
    if not counts:
        return "[]" if brackets else "none"
    if len(counts) > 6:
        text = f"{counts.low}..{counts.high}"
        return f"[{text}]" if brackets else text
    if brackets:
        return "[" + ", ".join(map(str, counts)) + "]"
    return "/".join(map(str, counts))


def schedule_doses(claim: Claim) -> int:
    """Number of administrations a claim's ``schedule`` implies."""
    schedule = claim.get("schedule")
    if not isinstance(schedule, list) or not schedule:
        raise claim.error("must be a non-empty list of schedule blocks", "schedule")
    total = 0
    for i, block in enumerate(schedule):
        where = f"schedule[{i}]"
        if not isinstance(block, dict):
            raise claim.error("must be a table", where)
        if "days" in block:
            days = block["days"]
            if not isinstance(days, list) or not days:
                raise claim.error("must be a non-empty list of printed days", where + ".days")
            values = []
            for j, d in enumerate(days):
                if not isinstance(d, str):
                    raise claim.error(f"days must be printed strings, got {d!r}", where)
                try:
                    values.append(int(d))
                except ValueError:
                    raise claim.error(
                        f"is not a day number: {d!r}", f"{where}.days[{j}]"
                    ) from None
            if values != sorted(set(values)):
                raise claim.error("days must be strictly increasing", where + ".days")
            total += len(values)
            continue
        try:
            per_week = int(block["per_week"])
            weeks = int(block["weeks"])
        except KeyError as exc:
            raise claim.error(f"needs {exc.args[0]!r} (or 'days')", where) from None
        except (TypeError, ValueError):
            raise claim.error("per_week and weeks must be printed integers", where) from None
        if per_week < 1 or weeks < 1:
            raise claim.error("per_week and weeks must be at least 1", where)
        total += per_week * weeks
    return total


def check_dose_schedule_claim(claim: Claim, record: Record) -> list[CheckRow]:
    """Check a ``dose-schedule`` claim: number of doses and cumulative dose."""
    dose = claim.printed_number("dose")
    if dose is None:
        raise claim.error("is required for a dose-schedule claim", "printed.dose")
    n = schedule_doses(claim)
    unit = claim.get("dose_unit", "")
    cumulative = Fraction(dose.exact) * n
    rows = [
        CheckRow(
            "dose",
            dose.text,
            Verdict.NOT_CHECKABLE,
            (),
            None,
            None,
            f"per administration; the schedule implies {n} administrations and a cumulative "
            f"dose of {float(cumulative)!r} {unit}".rstrip(),
        )
    ]
    total = claim.printed_number("total_doses")
    if total is not None:
        ok = total.decimals == 0 and int(total.exact) == n
        rows.append(
            CheckRow(
                "total_doses",
                total.text,
                Verdict.REPRODUCED if ok else Verdict.INCONSISTENT,
                ("schedule-count",) if ok else (),
                float(n),
                None,
                "administrations counted from the schedule",
            )
        )
    cum = claim.printed_number("cumulative_dose")
    if cum is not None:
        ok = cum.contains_exact(cumulative)
        rows.append(
            CheckRow(
                "cumulative_dose",
                cum.text,
                Verdict.REPRODUCED if ok else Verdict.INCONSISTENT,
                ("dose-times-count",) if ok else (),
                float(cumulative),
                None,
                f"{dose.text} x {n} {unit}".rstrip(),
            )
        )
    return rows
