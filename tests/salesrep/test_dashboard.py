"""The rep's dashboard: their customers with activity, open quotes and money, filters, and a
constant number of queries however many customers there are."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.billing.models import LedgerEntry
from tandem.billing.receivables.selectors import credit_position
from tandem.customers.models import Company
from tandem.quotes.models import Quote, QuoteStatus
from tandem.salesrep import selectors
from tests.factories import make_company, make_company_user
from tests.salesrep.conftest import make_order, staff_user

pytestmark = pytest.mark.django_db


def ledger(company, *, debit="0", credit="0", due_in_days: int | None = None):
    today = timezone.localdate()
    return LedgerEntry.objects.create(
        company=company,
        kind="invoice" if Decimal(debit) else "payment",
        reference="X",
        currency="PLN",
        debit=Decimal(debit),
        credit=Decimal(credit),
        booked_on=today,
        due_date=today + timedelta(days=due_in_days) if due_in_days is not None else None,
    )


def quote(company, status):
    number = f"Q{Quote.objects.count() + 1:05d}"
    return Quote.objects.create(number=number, company=company, status=status, currency="PLN", language="en")


@pytest.fixture
def customers(rep):
    """ACME (owes 1,000, 600 of it overdue; paid 100), Bolt (quiet), and another rep's Corvo."""
    acme = make_company("ACME Tools", sales_rep=rep, credit_limit=Decimal("5000"))
    bolt = make_company("Bolt Hardware", sales_rep=rep, credit_limit=Decimal("2000"))
    corvo = make_company("Corvo Trading", sales_rep=staff_user("rita@shop.test", "Sales rep"))
    buyer = make_company_user(acme)
    ledger(acme, debit="600.00", due_in_days=-10)
    ledger(acme, debit="400.00", due_in_days=20)
    ledger(acme, credit="100.00")
    make_order(company=acme, user=buyer, placed=timezone.now() - timedelta(days=40))
    latest = make_order(company=acme, user=buyer, placed=timezone.now() - timedelta(days=3))
    make_order(company=acme, user=buyer, placed=timezone.now() - timedelta(days=1), status="cancelled")
    make_order(company=corvo, user=make_company_user(corvo))
    return acme, bolt, corvo, latest


def rows(client, **params) -> dict[str, dict[str, str]]:
    page = client.get("/rep/", params).text
    found = {}
    for row in re.findall(r'<tr data-testid="customer-row".*?</tr>', page, re.S):
        name = re.search(r"<strong>(.*?)</strong>", row).group(1)
        found[name] = {
            key: value
            for key, value in re.findall(r'data-testid="([a-z-]+)">([^<]*)<', row)
            if key not in ("act", "customer-orders")
        }
    return found


def test_the_dashboard_lists_the_reps_customers_with_activity_and_money(client, rep, customers):
    acme, _bolt, _corvo, latest = customers
    quote(acme, QuoteStatus.REQUESTED)
    quote(acme, QuoteStatus.OFFERED)
    quote(acme, QuoteStatus.ACCEPTED)
    client.force_login(rep)

    found = rows(client)

    assert list(found) == ["ACME Tools", "Bolt Hardware"]  # not another rep's customer
    assert found["ACME Tools"] == {
        "last-order": latest.created_at.astimezone(timezone.get_current_timezone()).strftime("%m/%d/%Y"),
        "orders-recent": "1",
        "open-quotes": "2",
        "balance": "900.00 PLN",
        "overdue": "500.00 PLN",
        "available": "4,100.00 PLN",
    }
    assert found["Bolt Hardware"] == {
        "last-order": "—",
        "orders-recent": "0",
        "open-quotes": "0",
        "balance": "0.00 PLN",
        "overdue": "0.00 PLN",
        "available": "2,000.00 PLN",
    }


def test_the_bulk_credit_positions_agree_with_credit_position(rep, customers):
    acme, bolt, _corvo, _latest = customers
    make_order(company=bolt, total="250.00")  # on account? no: bank transfer, not counted
    loaded = {company.pk: company for company in selectors.customer_rows(rep, selectors.CustomerFilters())}
    for company in (acme, bolt):
        assert selectors.rows_of(rep, [loaded[company.pk]])[0].position == credit_position(company)


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"q": "bolt"}, ["Bolt Hardware"]),
        ({"q": "7740001454"}, ["Bolt Hardware"]),  # VAT ID without the country prefix
        ({"q": "774-000-14-54"}, ["Bolt Hardware"]),  # typed with dashes
        ({"overdue": "1"}, ["ACME Tools"]),
        ({"q": "bolt", "overdue": "1"}, []),
        ({"q": "corvo"}, []),  # another rep's customer is never found
    ],
    ids=["name", "vat-id", "vat-id-dashes", "overdue-only", "both", "not-mine"],
)
def test_the_dashboard_filters_by_name_vat_id_and_overdue(client, rep, customers, params, names):
    client.force_login(rep)
    assert list(rows(client, **params)) == names


def test_staff_who_see_all_orders_see_every_customer_but_act_for_none_of_them(client, customers):
    client.force_login(staff_user("warehouse@shop.test", "Fulfilment"))
    page = client.get("/rep/").text
    assert [name for name in ("ACME Tools", "Bolt Hardware", "Corvo Trading") if name in page] == [
        "ACME Tools",
        "Bolt Hardware",
        "Corvo Trading",
    ]
    assert 'data-testid="act"' not in page


def test_each_row_acts_for_the_customer_and_links_to_their_orders(client, rep, customers):
    acme = customers[0]
    client.force_login(rep)
    page = client.get("/rep/").text
    assert f'action="/rep/customers/{acme.pk}/act/"' in page
    assert f'href="/rep/orders/?company={acme.pk}"' in page
    assert 'data-testid="recent-messages"' in page  # the place the messages will fill


def test_the_dashboard_is_for_staff_with_customers(client, customers):
    assert client.get("/rep/")["Location"].startswith("/accounts/login/")
    client.force_login(make_company_user(customers[0]))
    assert client.get("/rep/").status_code == 403
    client.force_login(staff_user("newbie@shop.test", "Sales rep"))  # no customers yet
    assert client.get("/rep/").status_code == 403


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/rep/").status_code == 200
    return len(queries)


def test_the_dashboard_takes_the_same_number_of_queries_for_2_and_10_customers(client, rep):
    def customer(number: int) -> Company:
        company = Company.objects.create(
            name=f"Customer {number:02d}",
            vat_id=f"PL{number:010d}",
            country="PL",
            street="S",
            postal_code="0",
            city="C",
            sales_rep=rep,
        )
        make_order(company=company)
        ledger(company, debit="100.00", due_in_days=-1)
        quote(company, QuoteStatus.REQUESTED)
        return company

    for number in range(2):
        customer(number)
    client.force_login(rep)
    _queries(client)  # warm the caches (permissions, session)
    two = _queries(client)
    for number in range(2, 10):
        customer(number)
    ten = _queries(client)
    assert len(rows(client)) == 10
    assert ten == two, (two, ten)
