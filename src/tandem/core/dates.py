"""Date ranges typed by people: within the span the shop can turn into times (every time
zone, one day either side), and in order."""

from datetime import date

from django.utils.translation import gettext as _

EARLIEST_DATE, LATEST_DATE = date(2000, 1, 1), date(9998, 12, 31)


def date_range_errors(date_from: date | None, date_to: date | None) -> dict[str, str]:
    """What is wrong with a from/to pair, per field ({} when nothing)."""
    errors = {}
    for name, day in (("date_from", date_from), ("date_to", date_to)):
        if day is not None and not EARLIEST_DATE <= day <= LATEST_DATE:
            errors[name] = _("Choose a date between %(first)s and %(last)s.") % {
                "first": EARLIEST_DATE.isoformat(),
                "last": LATEST_DATE.isoformat(),
            }
    if date_from and date_to and not errors and date_from > date_to:
        errors["date_to"] = _("The end date is before the start date.")
    return errors


def clamped(day: date) -> date:
    return min(max(day, EARLIEST_DATE), LATEST_DATE)
