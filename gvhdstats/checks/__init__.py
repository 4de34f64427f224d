"""Printed numbers against methods: verdict types, matching and one module per claim family.

A checker that needs a method calls it from :mod:`gvhdstats.methods`; the
record-level checkers take :class:`~gvhdstats.records.Claim` and
:class:`~gvhdstats.records.Record`.  Checkers register themselves with the
engine by dotted path (see :mod:`gvhdstats.engine`).
"""
