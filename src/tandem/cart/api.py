"""Cart and quick order over the API: a guest's cart lives in the session; a user's
(session or bearer token) persists. Every response is the re-priced cart."""

from decimal import Decimal

from django.http import HttpRequest
from ninja import File, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from tandem.cart import selectors, services
from tandem.cart.calculations import PricedCart
from tandem.cart.sessions import request_cart
from tandem.catalog.schemas import PriceOut
from tandem.customers.api_auth import guest_auth

router = Router(tags=["cart"], auth=guest_auth)


class CartLineOut(Schema):
    id: int
    sku: str
    name: str
    quantity: int
    price: PriceOut | None
    total: Decimal
    discount: Decimal
    problem: str | None
    problem_code: str | None
    suggested_quantity: int | None
    previous_unit_price: Decimal | None


class DiscountOut(Schema):
    name: str
    code: str
    amount: Decimal
    free_shipping: bool


class RateOut(Schema):
    rate: Decimal
    net: Decimal
    tax: Decimal


class CartOut(Schema):
    currency: str
    prices_include_tax: bool
    lines: list[CartLineOut]
    goods_value: Decimal
    discounts: list[DiscountOut]
    coupon_code: str
    coupon_error: str | None
    total_net: Decimal
    total_tax: Decimal
    total_gross: Decimal
    vat: list[RateOut]
    reverse_charge: bool

    @staticmethod
    def empty(context) -> "CartOut":
        return CartOut(
            currency=context.currency,
            prices_include_tax=context.prices_include_tax,
            lines=[],
            goods_value=0,
            discounts=[],
            coupon_code="",
            coupon_error=None,
            total_net=0,
            total_tax=0,
            total_gross=0,
            vat=[],
            reverse_charge=context.reverse_charge,
        )

    @staticmethod
    def of(priced: PricedCart, coupon_code: str = "") -> "CartOut":
        return CartOut(
            currency=priced.currency,
            prices_include_tax=priced.includes_tax,
            lines=[
                CartLineOut(
                    id=line.line_id,
                    sku=line.variant.sku,
                    name=line.product_name,
                    quantity=line.quantity,
                    price=PriceOut.of(line.price),
                    total=line.value,
                    discount=line.discount,
                    problem=line.problem or None,
                    problem_code=line.problem_code or None,
                    suggested_quantity=line.suggested_quantity,
                    previous_unit_price=line.previous_unit_price,
                )
                for line in priced.lines
            ],
            goods_value=priced.goods_value,
            discounts=[
                DiscountOut(
                    name=d.rule.name, code=d.rule.code, amount=d.amount, free_shipping=d.free_shipping
                )
                for d in priced.discounts
            ],
            coupon_code=coupon_code,
            coupon_error=str(priced.coupon_error.message) if priced.coupon_error else None,
            total_net=priced.totals.net,
            total_tax=priced.totals.tax,
            total_gross=priced.totals.gross,
            vat=[RateOut(rate=r.rate, net=r.net, tax=r.tax) for r in priced.totals.rates],
            reverse_charge=priced.context.reverse_charge,
        )


def cart_out(request: HttpRequest) -> CartOut:
    cart = request_cart(request)
    if cart is None:
        return CartOut.empty(request.customer_context)
    priced = selectors.priced_cart(request.customer_context, cart)
    services.cart_mark_seen(priced=priced)
    return CartOut.of(priced, cart.coupon_code)


class LineIn(Schema):
    sku: str = Field(..., min_length=1, max_length=64)
    quantity: int = Field(..., ge=1, le=services.MAX_QUANTITY)


class QuantityIn(Schema):
    quantity: int = Field(..., ge=0, le=services.MAX_QUANTITY)


class CouponIn(Schema):
    code: str = Field(..., min_length=1, max_length=40)


@router.get("", response=CartOut)
def cart_get(request: HttpRequest):
    """The cart, re-priced now; lines whose price changed since the last look carry
    ``previous_unit_price``; lines that cannot be ordered carry a ``problem``."""
    return cart_out(request)


@router.post("/lines", response=CartOut)
def cart_line_add(request: HttpRequest, payload: LineIn):
    """Add units of a SKU to the caller's cart (a guest's lives in the session); refused with the
    reason for an unknown SKU, missing stock or a quantity rule."""
    services.cart_add(
        cart=request_cart(request, create=True),
        context=request.customer_context,
        sku=payload.sku,
        quantity=payload.quantity,
    )
    return cart_out(request)


@router.patch("/lines/{line_id}", response=CartOut)
def cart_line_update(request: HttpRequest, line_id: int, payload: QuantityIn):
    """Set a line's quantity; 0 removes it."""
    cart = request_cart(request, create=True)
    services.cart_set_quantity(
        cart=cart, context=request.customer_context, line_id=line_id, quantity=payload.quantity
    )
    return cart_out(request)


@router.delete("/lines/{line_id}", response=CartOut)
def cart_line_remove(request: HttpRequest, line_id: int):
    """Remove a line from the caller's cart."""
    cart = request_cart(request)
    if cart is not None:
        services.cart_remove(cart=cart, line_id=line_id)
    return cart_out(request)


@router.put("/coupon", response=CartOut)
def cart_coupon_set(request: HttpRequest, payload: CouponIn):
    """Put a coupon on the cart; a coupon that cannot be used says why (expired, used up,
    minimum order, sign in…)."""
    services.cart_apply_coupon(cart=request_cart(request, create=True), code=payload.code)
    return cart_out(request)


@router.delete("/coupon", response=CartOut)
def cart_coupon_remove(request: HttpRequest):
    """Take the coupon off the cart."""
    cart = request_cart(request)
    if cart is not None:
        services.cart_remove_coupon(cart=cart)
    return cart_out(request)


class QuickOrderRowIn(Schema):
    sku: str = Field(..., max_length=64)
    quantity: str = Field(..., max_length=20)


class QuickOrderIn(Schema):
    lines: list[QuickOrderRowIn] = Field(..., min_length=1, max_length=services.MAX_QUICK_ORDER_LINES)


class QuickOrderResultOut(Schema):
    lines: list[int]
    sku: str
    quantity: int | None
    added: bool
    reason: str
    code: str


class QuickOrderOut(Schema):
    added: int
    refused: int
    results: list[QuickOrderResultOut]
    cart: CartOut


def _quick_order_out(request: HttpRequest, rows: list[services.QuickOrderRow]) -> QuickOrderOut:
    report = services.quick_order_add(
        cart=request_cart(request, create=True), context=request.customer_context, rows=rows
    )
    return quick_order_report_out(request, report)


def quick_order_report_out(request: HttpRequest, report: services.QuickOrderReport) -> QuickOrderOut:
    """A result per item put into the cart (quick order, pasted lines, a shopping list)."""
    return QuickOrderOut(
        added=len(report.added),
        refused=len(report.refused),
        results=[
            QuickOrderResultOut(
                lines=list(r.lines),
                sku=r.sku,
                quantity=r.quantity,
                added=r.added,
                reason=r.reason,
                code=r.code,
            )
            for r in report.results
        ],
        cart=cart_out(request),
    )


@router.post("/quick-order", response=QuickOrderOut)
def quick_order(request: HttpRequest, payload: QuickOrderIn):
    """Add many SKUs at once (lines with one SKU are merged); a result per SKU says whether
    it was added and, if not, why. ``quantity`` is text, checked like a typed-in value."""
    rows = [
        services.QuickOrderRow(line=number, sku=row.sku, quantity=row.quantity)
        for number, row in enumerate(payload.lines, start=1)
    ]
    return _quick_order_out(request, rows)


@router.post("/quick-order/file", response=QuickOrderOut)
def quick_order_file(request: HttpRequest, file: File[UploadedFile]):
    """The same from a CSV (comma or semicolon, UTF-8) or XLSX file with SKU and quantity."""
    rows = services.quick_order_rows_from_file(file.name or "", file.read(services.MAX_UPLOAD_BYTES + 1))
    return _quick_order_out(request, rows)
