"""Gapless numbering per series and year."""

from django.db import IntegrityError, transaction
from django.db.models import F

from tandem.core.models import NumberSequence


def next_number(*, series: str, year: int) -> int:
    """The next number in ``series`` for ``year``. Call inside the transaction that uses the
    number: the sequence row stays locked until it commits, and a rollback gives the number
    back, so there are no gaps and no duplicates."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must run inside the transaction that uses the number")
    updated = NumberSequence.objects.filter(series=series, year=year).update(last=F("last") + 1)
    if not updated:
        try:
            with transaction.atomic():
                NumberSequence.objects.create(series=series, year=year, last=1)
            return 1
        except IntegrityError:  # another transaction created it first: take the next one
            NumberSequence.objects.filter(series=series, year=year).update(last=F("last") + 1)
    return NumberSequence.objects.get(series=series, year=year).last
