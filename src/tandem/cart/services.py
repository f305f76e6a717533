"""Cart writes: add, change, remove, coupons, merging a guest cart at login, quick order.

A cart only refuses what can never be ordered (unknown or hidden items, impossible
quantities, more than is in stock for items without back-orders); prices are resolved
again whenever the cart is shown and at checkout.
"""

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.cart.calculations import MAX_LINE_QUANTITY, PricedCart, orderability
from tandem.cart.counts import cart_count_forget
from tandem.cart.errors import CartError, QuickOrderFileError
from tandem.cart.models import Cart, CartLine
from tandem.catalog.models import Variant
from tandem.catalog.selectors import visible_variant, visible_variants
from tandem.core.batches import in_batches
from tandem.core.context import CustomerContext
from tandem.core.identifiers import is_uuid
from tandem.core.tabular import TabularFileError, read_rows
from tandem.inventory.selectors import available_by_variant
from tandem.pricing.selectors import coupon_rule

MAX_QUANTITY = MAX_LINE_QUANTITY
MAX_CART_LINES = 5_000
MAX_QUICK_ORDER_LINES = 5_000
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def cart_get(*, user_id: int | None, token: str | None, create: bool = False) -> Cart | None:
    """A signed-in user's cart, else the guest cart with this token; created when asked."""
    if user_id is not None:
        cart = Cart.objects.filter(user_id=user_id).first()
        if cart is None and create:
            cart, _created = Cart.objects.get_or_create(user_id=user_id)
        return cart
    cart = Cart.objects.filter(token=token, user__isnull=True).first() if is_uuid(token) else None
    if cart is None and create:
        cart = Cart.objects.create()
    return cart


def parse_quantity(value: object) -> int:
    """A whole quantity from user input; CartError for anything else (0, negative,
    fractions, words, absurdly large numbers)."""
    text = str(value).strip()
    if text.endswith(".0"):
        text = text[:-2]  # spreadsheets turn 5 into 5.0
    if re.fullmatch(r"[-−]\s*\d+", text):  # a minus sign (or the typographic one) before digits
        raise CartError(_("The quantity must be at least 1."), code="quantity_not_positive", field="quantity")
    if not (text.isascii() and text.isdecimal()):
        raise CartError(
            _("“%(value)s” is not a whole number.") % {"value": text[:20]},
            code="quantity_invalid",
            field="quantity",
        )
    quantity = int(text)
    if quantity < 1:
        raise CartError(_("The quantity must be at least 1."), code="quantity_not_positive", field="quantity")
    if quantity > MAX_QUANTITY:
        raise CartError(
            _("The quantity cannot exceed %(max)s.") % {"max": MAX_QUANTITY},
            code="quantity_too_large",
            field="quantity",
        )
    return quantity


def _check_line(variant: Variant, quantity: int, available: int) -> None:
    """Raise what makes ``quantity`` of ``variant`` impossible to order."""
    code, message, _suggestion = orderability(variant, quantity, available)
    if code:
        raise CartError(message, code=code, field="quantity")


def _visible_variant(context: CustomerContext, sku: str) -> Variant:
    variant = visible_variant(context, sku)
    if variant is None:
        raise CartError(
            _("There is no product with SKU %(sku)s.") % {"sku": sku.strip()[:64]},
            code="unknown_sku",
            field="sku",
        )
    return variant


def _lock(cart: Cart) -> None:
    """Serialise writes to one cart (two quick clicks adding the same new item) and mark it
    changed: the update locks the cart's row until commit (on SQLite the write transaction
    already holds the database), one statement for both."""
    Cart.objects.filter(pk=cart.pk).update(updated_at=timezone.now())


def cart_add(*, cart: Cart, context: CustomerContext, sku: str, quantity: int) -> CartLine:
    """Add ``quantity`` of a visible variant (to what is already in the cart).

    Whether the customer may buy the item and how many are in stock are read before the
    write transaction (one product each, never the catalog): the lock is held only for the
    cart's own rows."""
    variant = _visible_variant(context, sku)
    available = available_by_variant([variant.pk]).get(variant.pk, 0)
    with transaction.atomic():
        _lock(cart)
        line = CartLine.objects.select_for_update().filter(cart=cart, variant=variant).first()
        if line is not None:
            line.variant = variant  # the caller reads it: not again from the database
        total = (line.quantity if line else 0) + quantity
        _check_line(variant, total, available)
        if line is None:
            if CartLine.objects.filter(cart=cart).count() >= MAX_CART_LINES:
                raise CartError(
                    _("A cart holds at most %(max)s lines.") % {"max": MAX_CART_LINES}, code="cart_full"
                )
            line = CartLine.objects.create(cart=cart, variant=variant, quantity=total)
        else:
            line.quantity = total
            line.save(update_fields=["quantity"])
    cart_count_forget(cart)  # outside this write transaction (and again at the outer commit)
    return line


def cart_set_quantity(
    *, cart: Cart, context: CustomerContext, line_id: int, quantity: int
) -> CartLine | None:
    """Set a line's quantity; 0 removes it. A line of another cart is not found. The stock
    is read before the write transaction."""
    variant_id = CartLine.objects.filter(cart=cart, pk=line_id).values_list("variant_id", flat=True).first()
    available = available_by_variant([variant_id]).get(variant_id, 0) if variant_id else 0
    with transaction.atomic():
        _lock(cart)
        line = (
            CartLine.objects.select_for_update(of=("self",))
            .select_related("variant__product")
            .filter(cart=cart, pk=line_id)
            .first()
        )
        if line is None:
            raise CartError(_("This line is no longer in your cart."), code="line_not_found")
        if quantity == 0:
            line.delete()
            cart_count_forget(cart)
            return None
        _check_line(line.variant, quantity, available)
        line.quantity = quantity
        line.save(update_fields=["quantity"])
    return line


def cart_remove(*, cart: Cart, line_id: int) -> None:
    CartLine.objects.filter(cart=cart, pk=line_id).delete()
    cart_count_forget(cart)


def cart_apply_coupon(*, cart: Cart, code: str) -> None:
    """Remember a coupon on the cart if such a coupon exists; whether it applies to this
    order (dates, limits, minimum value) is shown with the cart's totals."""
    code = code.strip().upper()[:40]
    if coupon_rule(code) is None:
        raise CartError(
            _("There is no coupon %(code)s.") % {"code": code}, code="coupon_unknown", field="coupon"
        )
    cart.coupon_code = code
    cart.save(update_fields=["coupon_code", "updated_at"])


def cart_remove_coupon(*, cart: Cart) -> None:
    cart.coupon_code = ""
    cart.save(update_fields=["coupon_code", "updated_at"])


def cart_mark_seen(*, priced: PricedCart) -> None:
    """Remember the prices just shown, so the next change can be pointed out."""
    updates = [
        CartLine(pk=line.line_id, seen_unit_price=line.unit_price, seen_currency=priced.currency)
        for line in priced.lines
        if line.line_id and line.price is not None and not line.shown_before
    ]
    if updates:
        CartLine.objects.bulk_update(updates, ["seen_unit_price", "seen_currency"], batch_size=1000)


@transaction.atomic
def cart_merge(*, guest: Cart | None, user_id: int) -> Cart | None:
    """At login: move a guest cart's lines into the user's cart (quantities of the same
    item add up) and keep the guest's coupon if the user's cart has none."""
    if guest is None or guest.user_id is not None:
        return None
    guest_lines = list(CartLine.objects.filter(cart=guest))
    if not guest_lines and not guest.coupon_code:
        guest.delete()
        return None
    cart, _created = Cart.objects.get_or_create(user_id=user_id)
    _lock(cart)
    existing = {line.variant_id: line for line in CartLine.objects.select_for_update().filter(cart=cart)}
    for line in guest_lines:
        if line.variant_id in existing:
            CartLine.objects.filter(pk=existing[line.variant_id].pk).update(
                quantity=F("quantity") + line.quantity
            )
        else:
            CartLine.objects.create(
                cart=cart,
                variant_id=line.variant_id,
                quantity=line.quantity,
                seen_unit_price=line.seen_unit_price,
                seen_currency=line.seen_currency,
            )
    if guest.coupon_code and not cart.coupon_code:
        cart.coupon_code = guest.coupon_code
        cart.save(update_fields=["coupon_code", "updated_at"])
    cart_count_forget(cart, guest)
    guest.delete()
    return cart


# --- quick order ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QuickOrderRow:
    line: int  # line of the pad or file (the header is line 1 in a file)
    sku: str
    quantity: str


@dataclass(frozen=True, slots=True)
class QuickOrderResult:
    lines: tuple[int, ...]  # every input line that named this SKU
    sku: str
    quantity: int | None
    added: bool
    reason: str = ""
    code: str = ""
    name: str = ""


@dataclass(slots=True)
class QuickOrderReport:
    results: list[QuickOrderResult] = field(default_factory=list)

    @property
    def added(self) -> list[QuickOrderResult]:
        return [result for result in self.results if result.added]

    @property
    def refused(self) -> list[QuickOrderResult]:
        return [result for result in self.results if not result.added]


def quick_order_rows_from_text(text: str) -> list[QuickOrderRow]:
    """Rows of a quick-order pad: "SKU quantity" per line, separated by a semicolon, a tab,
    spaces, or a comma right after the SKU (spaces around it allowed); a line with only a SKU
    means 1.
    Whatever follows the SKU is the quantity as typed ("1,5" or "1 000" are refused as not
    whole numbers, never read as 1)."""
    rows = []
    for number, raw in enumerate(text.replace("\x00", "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if ";" in line or "\t" in line:
            parts = re.split(r"[;\t]", line, maxsplit=1)
        elif match := re.match(r"([^\s,]+)\s*,\s*(.*)", line):  # "SKU,5" and "SKU, 5" alike
            parts = [match.group(1), match.group(2)]
        else:
            parts = line.split(None, 1)
        sku = parts[0].strip()
        quantity = parts[1].strip() if len(parts) > 1 and parts[1].strip() else "1"
        rows.append(QuickOrderRow(line=number, sku=sku, quantity=quantity))
    if len(rows) > MAX_QUICK_ORDER_LINES:
        raise QuickOrderFileError(
            _("At most %(max)s lines at once; split the list.") % {"max": MAX_QUICK_ORDER_LINES}
        )
    return rows


SKU_HEADERS = {"sku", "index", "indeks", "code", "kod", "артикул", "код", "product code"}
QUANTITY_HEADERS = {"quantity", "qty", "ilość", "ilosc", "количество", "брой", "количество (бр.)"}


def quick_order_rows_from_file(file_name: str, content: bytes) -> list[QuickOrderRow]:
    """Rows of an uploaded CSV (comma or semicolon, UTF-8 with or without BOM) or XLSX with
    SKU and quantity columns (a header row naming them is recognised; without one, the
    first two columns are taken). Files over 10 MB are refused."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise QuickOrderFileError(_("The file is larger than 10 MB."))
    try:
        rows = read_rows(file_name, content, max_rows=MAX_QUICK_ORDER_LINES)
    except TabularFileError as error:
        raise QuickOrderFileError(str(error)) from error
    header = [cell.strip().lower() for cell in rows[0]]
    sku_column = next((i for i, name in enumerate(header) if name in SKU_HEADERS), None)
    quantity_column = next((i for i, name in enumerate(header) if name in QUANTITY_HEADERS), None)
    if sku_column is not None or quantity_column is not None:
        if sku_column is None or quantity_column is None:
            raise QuickOrderFileError(_("The header must name a SKU column and a quantity column."))
        start, body = 2, rows[1:]
    else:
        sku_column, quantity_column, start, body = 0, 1, 1, rows
    result = []
    for number, row in enumerate(body, start=start):
        sku = row[sku_column].strip() if sku_column < len(row) else ""
        quantity = row[quantity_column].strip() if quantity_column < len(row) else ""
        result.append(QuickOrderRow(line=number, sku=sku, quantity=quantity))
    return result


def quick_order_add(*, cart: Cart, context: CustomerContext, rows: list[QuickOrderRow]) -> QuickOrderReport:
    """Add many SKUs at once. Rows naming one SKU are merged; every SKU gets a result that
    says whether it was added and, if not, why. What can be added is added, in one
    transaction and a constant number of queries."""
    report = QuickOrderReport()
    wanted: dict[str, tuple[list[int], int, str]] = {}
    typed: set[str] = set()
    for row in rows:
        if not row.sku:
            report.results.append(
                QuickOrderResult(
                    lines=(row.line,),
                    sku="",
                    quantity=None,
                    added=False,
                    reason=_("The SKU is empty."),
                    code="sku_missing",
                )
            )
            continue
        try:
            quantity = parse_quantity(row.quantity or "")
        except CartError as error:
            report.results.append(
                QuickOrderResult(
                    lines=(row.line,),
                    sku=row.sku,
                    quantity=None,
                    added=False,
                    reason=str(error.message),
                    code=error.code,
                )
            )
            continue
        key = row.sku.upper()
        typed.add(row.sku)
        lines, total, sku = wanted.get(key, ([], 0, row.sku))
        wanted[key] = ([*lines, row.line], total + quantity, sku)
    if not wanted:
        return report
    with transaction.atomic():
        _lock(cart)
        # SKUs as typed, upper- and lower-cased: "ab-1" finds "AB-1" and the other way round.
        skus = sorted(typed | {text.upper() for text in typed} | {text.lower() for text in typed})
        variants: dict[str, Variant] = {}
        known: set[str] = set()
        for batch in in_batches(skus):
            found = visible_variants(context, batch).select_related("product")
            variants.update({variant.sku.upper(): variant for variant in found})
            known.update(
                sku.upper()
                for sku in Variant.objects.filter(sku__in=batch, is_active=True).values_list("sku", flat=True)
            )
        available = available_by_variant([variant.pk for variant in variants.values()])
        in_cart = {
            line.variant_id: line
            for line in CartLine.objects.select_for_update().filter(
                cart=cart, variant_id__in=[variant.pk for variant in variants.values()]
            )
        }
        room = MAX_CART_LINES - CartLine.objects.filter(cart=cart).count()
        to_create, to_update = [], []
        for key, (lines, quantity, sku) in wanted.items():
            variant = variants.get(key)
            line_numbers = tuple(lines)
            if variant is None:
                reason, code = (
                    (_("Not available to your account."), "not_available")
                    if key in known
                    else (_("Unknown SKU."), "unknown_sku")
                )
                report.results.append(
                    QuickOrderResult(
                        lines=line_numbers,
                        sku=sku[:64],
                        quantity=quantity,
                        added=False,
                        reason=reason,
                        code=code,
                    )
                )
                continue
            existing = in_cart.get(variant.pk)
            total = quantity + (existing.quantity if existing else 0)
            try:
                _check_line(variant, total, available.get(variant.pk, 0))
                if existing is None and room <= 0:
                    raise CartError(
                        _("A cart holds at most %(max)s lines.") % {"max": MAX_CART_LINES}, code="cart_full"
                    )
            except CartError as error:
                report.results.append(
                    QuickOrderResult(
                        lines=line_numbers,
                        sku=variant.sku,
                        quantity=quantity,
                        added=False,
                        reason=str(error.message),
                        code=error.code,
                        name=variant.product.tr("name"),
                    )
                )
                continue
            if existing is None:
                room -= 1
                to_create.append(CartLine(cart=cart, variant=variant, quantity=total))
            else:
                existing.quantity = total
                to_update.append(existing)
            report.results.append(
                QuickOrderResult(
                    lines=line_numbers,
                    sku=variant.sku,
                    quantity=quantity,
                    added=True,
                    name=variant.product.tr("name"),
                )
            )
        CartLine.objects.bulk_create(to_create, batch_size=1000)
        CartLine.objects.bulk_update(to_update, ["quantity"], batch_size=1000)
        cart_count_forget(cart)
    report.results.sort(key=lambda result: result.lines[0])
    return report
