"""Exceptions raised by gvhdstats.

Every error the library raises on purpose derives from :class:`GvhdstatsError`.
Errors about bad values are also :class:`ValueError` subclasses, so callers that
already catch ``ValueError`` keep working.  Warnings of the package derive from
:class:`UserWarning` (filter them with ``warnings.filterwarnings``).
"""

from __future__ import annotations

__all__ = [
    "ClaimError",
    "ConvergenceWarning",
    "GvhdstatsError",
    "ImpossibleValueError",
    "InvalidArgumentError",
    "InvalidCountError",
    "InvalidIntervalError",
    "InvalidPValueError",
    "RecordError",
    "ReportedNumberError",
    "UnknownKeyError",
    "UnknownMethodError",
    "UnknownRecordError",
]


class GvhdstatsError(Exception):
    """Root of every exception raised on purpose by gvhdstats."""


class InvalidArgumentError(GvhdstatsError, ValueError):
    """An argument has a value the function cannot work with.

    The message always names the argument and shows the value.
    """


class InvalidCountError(InvalidArgumentError):
    """A count is negative, not an integer, or larger than its total."""


class InvalidIntervalError(InvalidArgumentError):
    """A confidence interval has its bounds in the wrong order or outside the domain."""


class InvalidPValueError(InvalidArgumentError):
    """A P value lies outside (0, 1]."""


class ReportedNumberError(InvalidArgumentError):
    """A printed number cannot be parsed (e.g. ``"1.2.3"`` or ``"abc"``)."""


class UnknownMethodError(InvalidArgumentError):
    """A method name is not one of the documented names."""


class RecordError(GvhdstatsError, ValueError):
    """A trial record file is malformed.

    The message names the file and, where they apply, the claim id and the field.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        claim: str | None = None,
        field: str | None = None,
    ) -> None:
        self.file = file
        self.claim = claim
        self.field = field
        where = []
        if file is not None:
            where.append(f"file {file}")
        if claim is not None:
            where.append(f"claim {claim!r}")
        if field is not None:
            where.append(f"field {field!r}")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class ClaimError(RecordError):
    """A claim in a record has a missing or malformed field."""


class UnknownKeyError(RecordError):
    """A record has a key that its schema does not know (often a typo).

    The message suggests the nearest known key (``did you mean 'title'?``);
    :attr:`suggestion` holds it, or None.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        claim: str | None = None,
        field: str | None = None,
        suggestion: str | None = None,
    ) -> None:
        super().__init__(message, file=file, claim=claim, field=field)
        self.suggestion = suggestion


class ImpossibleValueError(RecordError):
    """A record field holds a value that cannot be printed in any paper.

    A percentage of 150, a P of 1.5, a CI whose low bound exceeds its high
    bound, more events than patients: a typo in the record, not a finding about
    the paper, so loading fails instead of giving a verdict.
    """


class UnknownRecordError(GvhdstatsError, LookupError):
    """No bundled record has this id and no file exists at this path."""


class ConvergenceWarning(UserWarning):
    """An iterative fit did not converge, or an estimate is infinite (monotone likelihood).

    Raised by :func:`~gvhdstats.cox_hr` and :func:`~gvhdstats.fine_gray`
    (``FineGrayConvergenceWarning`` is a subclass).  The result is still
    returned with ``converged=False``; Wald z statistics, P values and
    confidence limits that would not be valid are NaN.
    """
