"""The sales rep's API: their customers (the dashboard's rows) and orders placed on a
customer's behalf. A company the caller may not act for is a 404, never a hint it exists."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import get_language
from ninja import Header, Query, Router, Schema, Status
from pydantic import Field

from tandem.cart.services import MAX_QUANTITY
from tandem.checkout.services import CheckoutDetails, order_payment_url
from tandem.core.errors import PermissionDenied
from tandem.customers.api_auth import user_auth
from tandem.orders.schemas import OrderOut
from tandem.salesrep import reports, selectors
from tandem.salesrep.acting import rep_order_create
from tandem.service.recommendations import reorders_due

router = Router(tags=["sales rep"])


def _staff(request: HttpRequest) -> None:
    if not selectors.may_use_dashboard(request.user):
        raise PermissionDenied()


class CustomerSearch(Schema):
    q: str = Field("", max_length=100, description="the company's name or VAT ID contains this")
    overdue_only: bool = False
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


class CustomerOut(Schema):
    id: int
    name: str
    vat_id: str
    is_active: bool
    currency: str
    last_order_at: datetime | None
    orders_last_30_days: int
    open_quotes: int
    balance: Decimal
    overdue: Decimal
    open_orders_on_account: Decimal
    credit_limit: Decimal
    available_credit: Decimal
    may_act: bool


@router.get("/customers", response=list[CustomerOut], auth=user_auth)
def rep_customers(request: HttpRequest, response: HttpResponse, params: Query[CustomerSearch]):
    """The caller's customers (every company for staff who see all orders or may act for
    every customer), sorted by name, with activity and credit position; ``X-Total-Count``
    holds how many were found. For staff only (403 otherwise)."""
    _staff(request)
    companies = selectors.customer_rows(
        request.user, selectors.CustomerFilters(query=params.q, overdue_only=params.overdue_only)
    )
    response["X-Total-Count"] = str(companies.count())
    rows = selectors.rows_of(request.user, companies[params.offset : params.offset + params.limit])
    return [
        CustomerOut(
            id=row.company.pk,
            name=row.company.name,
            vat_id=row.company.vat_id,
            is_active=row.company.is_active,
            currency=row.position.currency,
            last_order_at=row.last_order_at,
            orders_last_30_days=row.orders_recent,
            open_quotes=row.open_quotes,
            balance=row.position.balance,
            overdue=row.position.overdue,
            open_orders_on_account=row.position.open_orders,
            credit_limit=row.position.credit_limit,
            available_credit=row.position.available,
            may_act=row.may_act,
        )
        for row in rows
    ]


class ReorderDueOut(Schema):
    company_id: int
    company_name: str
    products: int = Field(description="products past their expected reorder day, not ordered since")
    oldest_expected_on: date
    examples: list[str] = Field(description="a few of those products' names")


@router.get("/reorders-due", response=list[ReorderDueOut], auth=user_auth)
def rep_reorders_due(request: HttpRequest):
    """The worklist "customers due to reorder": the caller's customers with products they
    usually order again by now (from their own intervals) and have not ordered since, the
    longest waiting first. For staff only (403 otherwise)."""
    _staff(request)
    return [
        ReorderDueOut(
            company_id=due.company.pk,
            company_name=due.company.name,
            products=due.products,
            oldest_expected_on=due.oldest_expected_on,
            examples=due.examples,
        )
        for due in reorders_due(request.user)
    ]


class SalesReportQuery(Schema):
    group_by: Literal["channel", "customer", "product", "category", "rep"] = "channel"
    date_from: date | None = Field(
        None, alias="from", description="first day (YYYY-MM-DD); 30 days before `to` if left out"
    )
    date_to: date | None = Field(
        None, alias="to", description="last day, included (YYYY-MM-DD); today if left out"
    )


class SalesReportRowOut(Schema):
    key: str = Field(description="the group's stable key (`others` for the rest after the top 50)")
    label: str
    orders: int | None = Field(description="null for `others` where an order can be in several groups")
    units: int
    revenue_net: Decimal
    share_percent: Decimal


class SalesReportCurrencyOut(Schema):
    currency: str
    orders: int
    units: int
    revenue_net: Decimal
    rows: list[SalesReportRowOut]


class SalesReportOut(Schema):
    group_by: str
    date_from: date
    date_to: date
    currencies: list[SalesReportCurrencyOut] = Field(
        description="one table per currency: amounts in different currencies are never added"
    )


@router.get("/reports/sales", response=SalesReportOut, auth=user_auth)
def rep_sales_report(request: HttpRequest, params: Query[SalesReportQuery]):
    """Sales of a period (counted orders: not drafts, cancelled or awaiting approval) grouped
    by channel, customer, product, category or sales rep, as on the staff reports page: per
    currency the top 50 groups by net revenue (order lines' net) and the rest as `others`.
    A rep sees their customers' orders, staff who see every customer all of them; 403 for
    anyone else. A `from` after `to` or a period over 1100 days is a 400
    `invalid_report_period`; a value that is not a date a 422."""
    _staff(request)
    period = reports.period_of(params.date_from, params.date_to)
    report = reports.sales_report(request.user, group_by=params.group_by, period=period)
    return SalesReportOut(
        group_by=report.group_by,
        date_from=period.first,
        date_to=period.last,
        currencies=[
            SalesReportCurrencyOut(
                currency=currency.currency,
                orders=currency.orders,
                units=currency.units,
                revenue_net=currency.revenue,
                rows=[
                    SalesReportRowOut(
                        key=row.key,
                        label=row.label,
                        orders=row.orders,
                        units=row.units,
                        revenue_net=row.revenue,
                        share_percent=row.share,
                    )
                    for row in currency.rows
                ],
            )
            for currency in report.currencies
        ],
    )


class RepOrderLineIn(Schema):
    sku: str = Field(..., min_length=1, max_length=64)
    quantity: int = Field(..., ge=1, le=MAX_QUANTITY)


class RepOrderIn(Schema):
    company_id: int = Field(..., ge=1, le=2_147_483_647)
    lines: list[RepOrderLineIn] = Field(..., min_length=1, max_length=1000)
    delivery_method: str = Field(..., max_length=40)
    address_id: int | None = Field(
        None, ge=1, le=2_147_483_647, description="one of the company's delivery addresses"
    )
    po_number: str = Field("", max_length=60)
    comment: str = Field("", max_length=2000)
    payment_method: str = Field("on_account", max_length=16)


@router.post("/orders", response={201: OrderOut}, auth=user_auth)
def rep_order(
    request: HttpRequest,
    payload: RepOrderIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=60),
):
    """Place an order for a customer the caller may act for (their own customers; every
    company with *act for all customers*), priced and checked as the company's own checkout
    would (its prices, delivery addresses, credit limit); the order records the caller as
    placed by and the company as on whose behalf. 404 for any other company; a line that
    cannot be ordered is a 400 ``order_lines_invalid`` naming each such line in ``lines``;
    otherwise the codes of ``POST /checkout``. The confirmation goes to the company's invoice
    e-mail (else its admin)."""
    _staff(request)
    details = CheckoutDetails(
        email="",
        delivery_method=payload.delivery_method,
        payment_method=payload.payment_method,
        address_id=payload.address_id,
        po_number=payload.po_number,
        comment=payload.comment,
    )
    order = rep_order_create(
        rep=request.user,
        company_id=payload.company_id,
        details=details,
        language=get_language(),
        lines=[(line.sku, line.quantity) for line in payload.lines],
        idempotency_key=idempotency_key,
    )
    done = reverse("checkout:order_done", args=[order.token])
    return Status(201, OrderOut.of(order, order_payment_url(order, return_url=done)))
