"""Merchant reports and the staff dashboard: sales per channel, customer, product, category
and sales rep equal the sums of the counted orders, per currency, within what the staff user
may see; the downloads and the API say the same as the page; queries stay bounded."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tandem.orders.models import Order, OrderLine
from tandem.salesrep import reports
from tandem.salesrep.overview import staff_overview
from tests.factories import make_category, make_company, make_product, make_user
from tests.salesrep.conftest import at, make_order, staff_user

pytestmark = pytest.mark.django_db

MARCH = {"from": "2026-03-01", "to": "2026-03-31"}


def sell(
    *, lines, company=None, user=None, status="placed", day="2026-03-10", currency="PLN", email=""
) -> Order:
    """An order placed on ``day`` with lines (variant, quantity, line net)."""
    order = make_order(
        company=company, user=user, lines=(), status=status, placed=at(day), currency=currency, email=email
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            variant=variant,
            sku=variant.sku,
            name=variant.product.name,
            unit="pcs",
            quantity=quantity,
            unit_net=Decimal(net) / quantity,
            unit_gross=Decimal(net) / quantity,
            tax_rate=Decimal("23"),
            line_net=Decimal(net),
            price_source="base_list",
        )
        for variant, quantity, net in lines
    )
    return order


@pytest.fixture
def sales(rep):
    """In March: ACME (the rep's) two orders, Corvo (Rita's) one, a retail customer and a guest
    one each; ACME's cancelled, pending, draft and April orders and one in EUR besides."""
    drill = make_product("Drill", category=make_category("Tools")).variants.get()
    hose = make_product("Hose", category=make_category("Garden")).variants.get()
    acme = make_company("ACME Tools", sales_rep=rep)
    corvo = make_company("Corvo Trading", sales_rep=staff_user("rita@shop.test", "Sales rep"))
    anna = make_user("anna@shop.test", full_name="Anna Nowak")
    sell(company=acme, lines=[(drill, 2, "200.00"), (hose, 1, "50.00")])
    sell(company=acme, lines=[(drill, 1, "100.00")], day="2026-03-20")
    sell(company=corvo, lines=[(hose, 4, "160.00")], day="2026-03-11")
    sell(user=anna, lines=[(drill, 1, "80.00")], day="2026-03-12")
    sell(email="guest@example.test", lines=[(hose, 2, "40.00")], day="2026-03-12")
    for status in ("cancelled", "pending_approval", "draft"):
        sell(company=acme, lines=[(drill, 10, "1000.00")], status=status)
    sell(company=acme, lines=[(drill, 10, "1000.00")], day="2026-04-01")
    sell(company=acme, lines=[(drill, 1, "30.00")], currency="EUR")
    return {"acme": acme, "corvo": corvo, "anna": anna, "drill": drill, "hose": hose}


def figures(user, group_by: str) -> dict[str, dict[str, tuple]]:
    """currency → group label → (orders, units, revenue)."""
    report = reports.sales_report(
        user, group_by=group_by, period=reports.Period(date(2026, 3, 1), date(2026, 3, 31))
    )
    return {
        table.currency: {row.label: (row.orders, row.units, row.revenue) for row in table.rows}
        for table in report.currencies
    }


@pytest.mark.parametrize(
    ("group_by", "expected"),
    [
        (
            "channel",
            {"Wholesale (B2B)": (3, 8, Decimal("510.00")), "Retail (B2C)": (2, 3, Decimal("120.00"))},
        ),
        (
            "customer",
            {
                "ACME Tools": (2, 4, Decimal("350.00")),
                "Corvo Trading": (1, 4, Decimal("160.00")),
                "Anna Nowak": (1, 1, Decimal("80.00")),
                "guest@example.test": (1, 2, Decimal("40.00")),
            },
        ),
        ("product", {"Drill": (3, 4, Decimal("380.00")), "Hose": (3, 7, Decimal("250.00"))}),
        ("category", {"Tools": (3, 4, Decimal("380.00")), "Garden": (3, 7, Decimal("250.00"))}),
        (
            "rep",
            {
                "Rep": (2, 4, Decimal("350.00")),
                "Rita": (1, 4, Decimal("160.00")),
                "No sales rep (retail and unassigned)": (2, 3, Decimal("120.00")),
            },
        ),
    ],
    ids=["channel", "customer", "product", "category", "rep"],
)
def test_staff_who_see_everything_get_the_sums_of_the_counted_orders(sales, fulfilment, group_by, expected):
    """Cancelled, pending, draft and out-of-period orders are left out; EUR has its own table."""
    result = figures(fulfilment, group_by)

    assert result["PLN"] == expected
    assert list(result) == ["PLN", "EUR"]
    assert sum(revenue for _o, _u, revenue in result["EUR"].values()) == Decimal("30.00")


def test_rows_are_sorted_by_revenue_with_shares_and_totals(sales, fulfilment):
    report = reports.sales_report(
        fulfilment, group_by="customer", period=reports.Period(date(2026, 3, 1), date(2026, 3, 31))
    )
    pln = report.currencies[0]

    assert [row.revenue for row in pln.rows] == sorted((row.revenue for row in pln.rows), reverse=True)
    assert (pln.orders, pln.units, pln.revenue) == (5, 11, Decimal("630.00"))
    assert [row.share for row in pln.rows] == [
        Decimal("55.6"),
        Decimal("25.4"),
        Decimal("12.7"),
        Decimal("6.3"),
    ]


def test_a_rep_sees_only_their_customers_sales(sales, rep):
    result = figures(rep, "customer")

    assert result == {
        "PLN": {"ACME Tools": (2, 4, Decimal("350.00"))},
        "EUR": {"ACME Tools": (1, 1, Decimal("30.00"))},
    }


def test_groups_after_the_top_ones_are_one_others_row(sales, fulfilment, monkeypatch):
    monkeypatch.setattr(reports, "TOP_GROUPS", 2)

    rows = (
        reports.sales_report(
            fulfilment, group_by="customer", period=reports.Period(date(2026, 3, 1), date(2026, 3, 31))
        )
        .currencies[0]
        .rows
    )

    assert [(row.key, row.orders, row.units, row.revenue) for row in rows[2:]] == [
        ("others", 2, 3, Decimal("120.00"))
    ]


def test_the_page_shows_the_report_with_its_charts(client, sales, rep):
    client.force_login(rep)

    response = client.get("/rep/reports/", {**MARCH, "group_by": "product"})

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('data-testid="report-table"') == 2  # PLN and EUR
    assert f'data-key="product:{sales["drill"].product_id}"' in page
    assert "<svg" in page and "<script" not in page
    assert 'data-testid="total-revenue" data-value="350.00"' in page


def test_a_preset_chooses_the_period(client, sales, rep):
    client.force_login(rep)

    response = client.get("/rep/reports/", {"preset": "last_month"})

    today = timezone.localdate()
    last = today.replace(day=1) - timedelta(days=1)
    assert (response.context["report"].period.first, response.context["report"].period.last) == (
        last.replace(day=1),
        last,
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "2026-03-31", "to": "2026-03-01"}, "The end date is before the start date."),
        ({"from": "March"}, "“March” is not a date (YYYY-MM-DD)."),
        ({"group_by": "colour"}, "Group by one of: channel, customer, product, category, rep."),
        ({"from": "2020-01-01", "to": "2026-01-01"}, "Choose a period of at most 1100 days."),
    ],
    ids=["from-after-to", "not-a-date", "unknown-grouping", "too-long"],
)
def test_a_bad_period_is_a_clear_400(client, sales, rep, params, message):
    client.force_login(rep)

    page = client.get("/rep/reports/", params)
    download = client.get("/rep/reports/sales.xlsx", params)

    assert page.status_code == 400
    assert message in page.content.decode()
    assert (download.status_code, download.content.decode()) == (400, message)


def test_the_xlsx_has_the_same_numbers_as_the_report(client, sales, fulfilment):
    client.force_login(fulfilment)

    response = client.get("/rep/reports/sales.xlsx", {**MARCH, "group_by": "channel"})

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        ["Currency", "Channel", "Orders", "Units", "Net revenue", "Share %"],
        ["PLN", "Wholesale (B2B)", 3, 8, 510, 81],
        ["PLN", "Retail (B2C)", 2, 3, 120, 19],
        ["PLN", "Total", 5, 11, 630, 100],
        ["EUR", "Wholesale (B2B)", 1, 1, 30, 100],
        ["EUR", "Total", 1, 1, 30, 100],
    ]


def test_the_csv_has_the_same_rows(client, sales, rep):
    client.force_login(rep)

    response = client.get("/rep/reports/sales.csv", {**MARCH, "group_by": "category"})

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode().lstrip("\ufeff"))))
    assert rows[1:] == [
        ["PLN", "Tools", "2", "3", "300.00", "85.7"],
        ["PLN", "Garden", "1", "1", "50.00", "14.3"],
        ["PLN", "Total", "2", "4", "350.00", "100"],
        ["EUR", "Tools", "1", "1", "30.00", "100.0"],
        ["EUR", "Total", "1", "1", "30.00", "100"],
    ]


def test_the_api_answers_the_same_rows_as_the_page(client, sales, rep):
    client.force_login(rep)

    answer = client.get("/api/v1/rep/reports/sales", {**MARCH, "group_by": "product"}).json()
    page = client.get("/rep/reports/", {**MARCH, "group_by": "product"}).context["report"]

    assert answer["date_from"] == "2026-03-01" and answer["date_to"] == "2026-03-31"
    assert [
        [(row["key"], row["orders"], row["units"], Decimal(row["revenue_net"])) for row in table["rows"]]
        for table in answer["currencies"]
    ] == [[(row.key, row.orders, row.units, row.revenue) for row in table.rows] for table in page.currencies]


@pytest.mark.parametrize(
    ("params", "status", "text"),
    [
        ({"from": "2026-03-31", "to": "2026-03-01"}, 400, "The end date is before the start date."),
        ({"from": "31.03.2026"}, 422, "date"),
        ({"group_by": "colour"}, 422, "group_by"),
    ],
    ids=["from-after-to", "not-a-date", "unknown-grouping"],
)
def test_the_api_refuses_a_bad_period_precisely(client, sales, rep, params, status, text):
    client.force_login(rep)

    response = client.get("/api/v1/rep/reports/sales", params)

    assert response.status_code == status
    assert text in response.content.decode()


def test_customers_and_other_staff_may_not_see_reports(client, sales):
    client.force_login(staff_user("nobody@shop.test"))

    assert client.get("/rep/reports/").status_code == 403
    assert client.get("/rep/dashboard/").status_code == 403
    assert client.get("/api/v1/rep/reports/sales").status_code == 403


@pytest.mark.parametrize("group_by", list(reports.GROUPINGS))
def test_the_report_page_costs_a_bounded_number_of_queries(
    client, sales, fulfilment, group_by, django_assert_max_num_queries
):
    """A year or a day, five orders or five thousand: the same handful of queries."""
    client.force_login(fulfilment)
    client.get("/rep/reports/")  # session and permission caches warm

    with django_assert_max_num_queries(12):
        response = client.get(
            "/rep/reports/", {"from": "2025-06-01", "to": "2026-05-31", "group_by": group_by}
        )

    assert response.status_code == 200


def test_the_dashboard_counts_what_waits_for_the_rep(client, sales, rep):
    today = timezone.localdate().isoformat()
    acme, corvo, drill = sales["acme"], sales["corvo"], sales["drill"]
    sell(company=acme, lines=[(drill, 2, "90.00")], day=today)
    sell(company=acme, lines=[(drill, 1, "45.00")], day=today, status="confirmed")
    sell(company=acme, lines=[(drill, 1, "45.00")], day=today, status="pending_approval")
    sell(company=corvo, lines=[(drill, 1, "999.00")], day=today)  # Rita's: not counted

    figures = staff_overview(rep)

    channel = figures.today.currencies[0]
    assert (channel.currency, channel.orders, channel.revenue) == ("PLN", 2, Decimal("135.00"))
    assert figures.awaiting_approval == 2  # March's pending one too
    assert figures.to_ship == {"placed": 5, "confirmed": 1, "in_progress": 0}
    assert sum(figures.recent[0].by_channel["b2b"]) == Decimal("135.00")


def test_the_dashboard_page_shows_the_figures(client, sales, rep, django_assert_max_num_queries):
    client.force_login(rep)
    client.get("/rep/dashboard/")

    with django_assert_max_num_queries(20):
        response = client.get("/rep/dashboard/")

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="awaiting-approval">1<' in page
    assert 'href="/rep/orders/?status=pending_approval"' in page
    assert 'data-testid="nav-reports"' in page
