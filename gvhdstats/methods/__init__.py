"""Pure statistics: numbers and arrays in, estimates and result objects out.

Nothing here knows that a printed claim, a record or a verdict exists: this
layer imports only :mod:`gvhdstats.numbers`, :mod:`gvhdstats.errors` and
:mod:`gvhdstats._validation` (a test reads every import with :mod:`ast`).
Submodules are imported on first use.
"""
