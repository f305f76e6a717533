"""Long lists of ids in IN (...) clauses, in batches the databases accept."""

from collections.abc import Sequence

# SQLite takes at most 32,766 bound parameters a query; 5,000 leaves room for the rest.
IN_BATCH = 5_000


def in_batches(values: Sequence, size: int = IN_BATCH) -> list[Sequence]:
    """``values`` cut into consecutive slices of at most ``size``."""
    return [values[start : start + size] for start in range(0, len(values), size)]
