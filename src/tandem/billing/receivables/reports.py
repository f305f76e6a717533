"""Finance reports: the receivables ageing and the documents issued per month, as rows,
XLSX workbooks and the geometry of a bar chart (drawn as inline SVG by the admin page)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.billing.models import Invoice
from tandem.billing.receivables.selectors import AGEING_BUCKETS, Ageing
from tandem.core.tabular import spreadsheet_cell, xlsx_bytes
from tandem.customers.models import Company

BUCKET_LABELS = {
    "current": gettext_lazy("Not due"),
    "days_1_30": gettext_lazy("1–30 days"),
    "days_31_60": gettext_lazy("31–60 days"),
    "days_61_90": gettext_lazy("61–90 days"),
    "days_over_90": gettext_lazy("over 90 days"),
}


def ageing_xlsx(ageing: Ageing) -> bytes:
    """One row per company and a total row per currency, amounts as numbers."""
    header = [
        _("Company"),
        _("Currency"),
        *[str(BUCKET_LABELS[bucket]) for bucket in AGEING_BUCKETS],
        _("Total"),
        _("Days overdue"),
    ]
    rows = [
        [
            spreadsheet_cell(row.company_name),  # typed by people: "=…" must stay text
            row.currency,
            *[getattr(row, bucket) for bucket in AGEING_BUCKETS],
            row.total,
            row.oldest_days_overdue,
        ]
        for row in ageing.rows
    ]
    rows += [
        [
            _("Total"),
            total.currency,
            *[getattr(total, bucket) for bucket in AGEING_BUCKETS],
            total.total,
            total.oldest_days_overdue,
        ]
        for total in ageing.totals
    ]
    return xlsx_bytes(_("Ageing %(date)s") % {"date": ageing.today.isoformat()}, header, rows)


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    amount: Decimal
    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class Chart:
    currency: str
    bars: list[Bar]
    width: int
    height: int
    baseline: int


def ageing_charts(ageing: Ageing, *, width: int = 560, height: int = 220) -> list[Chart]:
    """One bar chart per currency: the totals of the five buckets, scaled to the largest."""
    charts = []
    slot = width // len(AGEING_BUCKETS)
    plot = height - 40  # room for the labels under the bars and the amounts above them
    for total in ageing.totals:
        amounts = [getattr(total, bucket) for bucket in AGEING_BUCKETS]
        top = max(amounts) or Decimal(1)
        bars = []
        for index, (bucket, amount) in enumerate(zip(AGEING_BUCKETS, amounts, strict=True)):
            bar_height = int(plot * amount / top) if amount > 0 else 0
            bars.append(
                Bar(
                    str(BUCKET_LABELS[bucket]),
                    amount,
                    x=index * slot + slot // 6,
                    y=20 + plot - bar_height,
                    width=slot * 2 // 3,
                    height=bar_height,
                )
            )
        charts.append(Chart(total.currency, bars, width, height, 20 + plot))
    return charts


@dataclass(frozen=True, slots=True)
class PeriodRow:
    month: date
    kind: str
    kind_label: str
    currency: str
    count: int
    net: Decimal
    gross: Decimal


def documents_per_month(
    *, date_from: date, date_to: date, companies: QuerySet[Company] | None = None
) -> list[PeriodRow]:
    """How many invoices and credit notes were issued each month of the period, and their
    net and gross sums, per currency (of ``companies`` only, when given)."""
    invoices = Invoice.objects.filter(issue_date__gte=date_from, issue_date__lte=date_to)
    if companies is not None:
        invoices = invoices.filter(company__in=companies)
    labels = dict(Invoice._meta.get_field("kind").choices)
    rows = (
        invoices.annotate(month=TruncMonth("issue_date"))
        .order_by()
        .values("month", "kind", "currency")
        .annotate(count=Count("pk"), net=Sum("total_net"), gross=Sum("total_gross"))
        .order_by("month", "kind", "currency")
    )
    return [
        PeriodRow(
            row["month"],
            row["kind"],
            str(labels.get(row["kind"], row["kind"])),
            row["currency"],
            row["count"],
            row["net"],
            row["gross"],
        )
        for row in rows
    ]


def documents_xlsx(rows: list[PeriodRow], *, date_from: date, date_to: date) -> bytes:
    header = [_("Month"), _("Document"), _("Currency"), _("Count"), _("Total net"), _("Total gross")]
    return xlsx_bytes(
        _("Documents %(start)s–%(end)s") % {"start": date_from.isoformat(), "end": date_to.isoformat()},
        header,
        [
            [row.month.strftime("%Y-%m"), row.kind_label, row.currency, row.count, row.net, row.gross]
            for row in rows
        ],
    )
