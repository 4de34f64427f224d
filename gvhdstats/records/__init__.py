"""Trial records: the schema, loading and validation, and the bundled data."""

from gvhdstats.records.loader import (
    CLAIM_TYPES,
    KINDS,
    Assumed,
    Claim,
    Record,
    bundled_record_ids,
    data_dir,
    load_record,
    parse_record,
    register_claim_type,
)

__all__ = [
    "CLAIM_TYPES",
    "KINDS",
    "Assumed",
    "Claim",
    "Record",
    "bundled_record_ids",
    "data_dir",
    "load_record",
    "parse_record",
    "register_claim_type",
]
