"""Shopping (requisition) lists: reads and writes.

Who sees a list: its owner, and — when it is shared — the owner's colleagues in the same
company. Only the owner changes it. Anyone else's list is NotFound.
"""

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from tandem.cart.errors import CartError
from tandem.cart.models import Cart, ShoppingList, ShoppingListLine
from tandem.cart.services import QuickOrderReport, QuickOrderRow, parse_quantity, quick_order_add
from tandem.catalog.selectors import visible_variants
from tandem.core.context import CustomerContext
from tandem.core.errors import NotFound, PermissionDenied
from tandem.customers.auth import membership_of
from tandem.customers.models import User

MAX_LISTS = 200
MAX_LIST_LINES = 2_000


def shopping_lists_for(user: User) -> QuerySet[ShoppingList]:
    membership = membership_of(user)
    visible = Q(owner=user)
    if membership is not None and membership.is_active:
        visible |= Q(company_id=membership.company_id, shared=True)
    return ShoppingList.objects.filter(visible).select_related("owner")


def shopping_list_for(user: User, list_id: int) -> ShoppingList:
    found = shopping_lists_for(user).filter(pk=list_id).first()
    if found is None:
        raise NotFound()
    return found


def _owned(user: User, shopping_list: ShoppingList) -> None:
    if shopping_list.owner_id != user.pk:
        raise PermissionDenied(_("Only the owner of this list can change it."))


def shopping_list_create(*, owner: User, name: str, shared: bool = False) -> ShoppingList:
    name = name.strip()[:120]
    if not name:
        raise CartError(_("Give the list a name."), code="list_name_missing", field="name")
    if ShoppingList.objects.filter(owner=owner).count() >= MAX_LISTS:
        raise CartError(
            _("You have the maximum of %(max)s lists.") % {"max": MAX_LISTS}, code="too_many_lists"
        )
    membership = membership_of(owner)
    company_id = membership.company_id if membership is not None else None
    return ShoppingList.objects.create(
        owner=owner, company_id=company_id, name=name, shared=shared and company_id is not None
    )


def shopping_list_update(*, user: User, shopping_list: ShoppingList, name: str, shared: bool) -> ShoppingList:
    _owned(user, shopping_list)
    shopping_list.name = name.strip()[:120] or shopping_list.name
    shopping_list.shared = shared and shopping_list.company_id is not None
    shopping_list.save(update_fields=["name", "shared", "updated_at"])
    return shopping_list


def shopping_list_delete(*, user: User, shopping_list: ShoppingList) -> None:
    _owned(user, shopping_list)
    shopping_list.delete()


@transaction.atomic
def shopping_list_add(
    *, user: User, shopping_list: ShoppingList, context: CustomerContext, items: list[tuple[str, object]]
) -> int:
    """Add (sku, quantity) items; quantities of an item already on the list add up. Refuses
    the whole change for an unknown or invisible SKU or an impossible quantity."""
    _owned(user, shopping_list)
    wanted: dict[str, int] = {}
    for sku, quantity in items:
        wanted[sku.strip()] = wanted.get(sku.strip(), 0) + parse_quantity(quantity)
    variants = {variant.sku: variant for variant in visible_variants(context, wanted)}
    missing = [sku for sku in wanted if sku not in variants]
    if missing:
        raise CartError(
            _("There is no product with SKU %(sku)s.") % {"sku": ", ".join(missing)[:200]},
            code="unknown_sku",
            field="sku",
        )
    existing = {line.variant_id: line for line in shopping_list.lines.select_for_update()}
    new = [sku for sku in wanted if variants[sku].pk not in existing]
    if len(existing) + len(new) > MAX_LIST_LINES:
        raise CartError(_("A list holds at most %(max)s items.") % {"max": MAX_LIST_LINES}, code="list_full")
    for sku, quantity in wanted.items():
        variant = variants[sku]
        line = existing.get(variant.pk)
        if line is None:
            ShoppingListLine.objects.create(shopping_list=shopping_list, variant=variant, quantity=quantity)
        else:
            line.quantity = min(line.quantity + quantity, 1_000_000)
            line.save(update_fields=["quantity"])
    shopping_list.save(update_fields=["updated_at"])
    return len(wanted)


def shopping_list_remove_line(*, user: User, shopping_list: ShoppingList, line_id: int) -> None:
    _owned(user, shopping_list)
    ShoppingListLine.objects.filter(shopping_list=shopping_list, pk=line_id).delete()


def shopping_list_from_cart(*, user: User, cart: Cart, name: str, shared: bool = False) -> ShoppingList:
    """Save what is in the cart as a new list (the cart stays as it is)."""
    with transaction.atomic():
        shopping_list = shopping_list_create(owner=user, name=name, shared=shared)
        ShoppingListLine.objects.bulk_create(
            [
                ShoppingListLine(shopping_list=shopping_list, variant_id=variant_id, quantity=quantity)
                for variant_id, quantity in cart.lines.values_list("variant_id", "quantity")[:MAX_LIST_LINES]
            ]
        )
    return shopping_list


def shopping_list_to_cart(
    *, shopping_list: ShoppingList, cart: Cart, context: CustomerContext, line_ids: list[int] | None = None
) -> QuickOrderReport:
    """Put the whole list, or the chosen lines, into the cart through the quick-order rules
    (what cannot be ordered now is reported, not added)."""
    lines = shopping_list.lines.select_related("variant")
    if line_ids is not None:
        lines = lines.filter(pk__in=line_ids)
    rows = [
        QuickOrderRow(line=index, sku=line.variant.sku, quantity=str(line.quantity))
        for index, line in enumerate(lines, start=1)
    ]
    return quick_order_add(cart=cart, context=context, rows=rows)


def shopping_list_from_order(*, user: User, order, name: str, shared: bool = False) -> ShoppingList:
    """Save a past order's items as a new list (items no longer sold are left out)."""
    with transaction.atomic():
        shopping_list = shopping_list_create(owner=user, name=name or order.number, shared=shared)
        quantities: dict[int, int] = {}
        items = order.lines.filter(variant__isnull=False).values_list("variant_id", "quantity")
        for variant_id, quantity in items:
            quantities[variant_id] = quantities.get(variant_id, 0) + quantity
        ShoppingListLine.objects.bulk_create(
            [
                ShoppingListLine(shopping_list=shopping_list, variant_id=variant_id, quantity=quantity)
                for variant_id, quantity in list(quantities.items())[:MAX_LIST_LINES]
            ]
        )
    return shopping_list
