"""The staff dashboard and the merchant reports (thin views: the figures come from
``overview`` and ``reports``, the charts from ``charts``)."""

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core.audit import audit_export
from tandem.core.tabular import csv_stream, spreadsheet_cell, xlsx_bytes
from tandem.salesrep import charts, overview, reports
from tandem.salesrep.customer_views import staff_customers_required

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _report(request: HttpRequest) -> tuple[reports.SalesReport | None, dict[str, str]]:
    try:
        group_by, period = reports.report_params_parse(request.GET)
    except reports.ReportPeriodError as error:
        return None, error.errors
    return reports.sales_report(request.user, group_by=group_by, period=period), {}


@staff_customers_required
def report_page(request: HttpRequest) -> HttpResponse:
    """Sales of a period grouped as chosen: a table and a bar chart per currency, the daily
    revenue per channel, downloads of the same rows."""
    report, errors = _report(request)
    tables, daily = [], []
    if report is not None:
        grouping = reports.GROUPINGS[report.group_by]
        tables = [
            {
                "report": currency,
                "chart": charts.bar_chart(
                    [(row.label, row.revenue) for row in currency.rows if row.key != reports.OTHERS],
                    currency=currency.currency,
                    title=_("Net revenue by %(grouping)s, %(currency)s")
                    % {"grouping": str(grouping).lower(), "currency": currency.currency},
                ),
            }
            for currency in report.currencies
        ]
        daily = _daily_charts(reports.daily_revenue(request.user, report.period))
    return render(
        request,
        "salesrep/reports.html",
        {
            "report": report,
            "tables": tables,
            "daily": daily,
            "errors": errors,
            "values": request.GET,
            "groupings": reports.GROUPINGS.items(),
            "presets": reports.PRESETS.items(),
            "group_by": report.group_by if report else request.GET.get("group_by", "channel"),
            "top_groups": reports.TOP_GROUPS,
            "chart_rows": charts.CHART_ROWS,
        },
        status=400 if errors else 200,
    )


@staff_customers_required
def report_download(request: HttpRequest, file_format: str) -> HttpResponse:
    """The report's rows as XLSX (numbers as numbers) or CSV; the download is audited."""
    report, errors = _report(request)
    if report is None:
        return HttpResponse(" ".join(errors.values()), status=400, content_type="text/plain; charset=utf-8")
    header, rows = reports.report_table(report)
    rows = [[spreadsheet_cell(value) for value in row] for row in rows]
    audit_export(
        kind="sales_report",
        actor_id=request.user.pk,
        rows=len(rows),
        format=file_format,
        filters=request.GET.urlencode(),
    )
    name = f"sales-by-{report.group_by}-{report.period.first.isoformat()}-{report.period.last.isoformat()}"
    if file_format == "xlsx":
        response = HttpResponse(xlsx_bytes(_("Sales"), header, rows), content_type=XLSX_TYPE)
    else:
        response = StreamingHttpResponse(
            csv_stream(header, ([("" if value is None else value) for value in row] for row in rows)),
            content_type="text/csv",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response


@staff_customers_required
def staff_dashboard(request: HttpRequest) -> HttpResponse:
    """Today's sales, what waits for someone, overdue money, low stock, unread messages and
    the last 14 days' revenue per channel."""
    figures = overview.staff_overview(request.user)
    recent = _daily_charts(figures.recent)
    return render(
        request,
        "salesrep/staff_dashboard.html",
        {
            "figures": figures,
            "recent": recent,
            "today": timezone.localdate(),
            "chart_days": overview.CHART_DAYS,
        },
    )


def _daily_charts(all_series) -> list[dict]:
    """Each currency's daily revenue by channel with its chart (reports and dashboard)."""
    return [
        {
            "series": series,
            "chart": charts.daily_chart(
                series.days,
                series.by_channel,
                currency=series.currency,
                title=_("Net revenue per day by channel, %(currency)s") % {"currency": series.currency},
            ),
        }
        for series in all_series
    ]
