"""Shopping lists over the API, with the same rules as the pages."""

from typing import Annotated

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from tandem.cart import lists
from tandem.cart.api import QuickOrderOut, quick_order_report_out
from tandem.cart.sessions import request_cart
from tandem.customers.api_auth import user_auth

router = Router(tags=["shopping lists"], auth=user_auth)


class ListLineOut(Schema):
    id: int
    sku: str
    quantity: int


class ListOut(Schema):
    id: int
    name: str
    shared: bool
    owner: str
    mine: bool
    lines: list[ListLineOut]


def _out(request: HttpRequest, shopping_list) -> ListOut:
    return ListOut(
        id=shopping_list.pk,
        name=shopping_list.name,
        shared=shopping_list.shared,
        owner=shopping_list.owner.email,
        mine=shopping_list.owner_id == request.user.pk,
        lines=[
            ListLineOut(id=line.pk, sku=line.variant.sku, quantity=line.quantity)
            for line in shopping_list.lines.select_related("variant")
        ],
    )


class ListIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    shared: bool = False


class ItemIn(Schema):
    sku: str = Field(..., min_length=1, max_length=64)
    quantity: int = Field(..., ge=1, le=1_000_000)


class ItemsIn(Schema):
    items: list[ItemIn] = Field(..., min_length=1, max_length=lists.MAX_LIST_LINES)


class ToCartIn(Schema):
    line_ids: list[Annotated[int, Field(ge=1, le=2**63 - 1)]] | None = Field(None, max_length=1000)


@router.get("", response=list[ListOut])
def shopping_lists(request: HttpRequest):
    """The caller's lists and the lists colleagues share with them."""
    return [_out(request, found) for found in lists.shopping_lists_for(request.user)]


@router.post("", response=ListOut)
def shopping_list_create(request: HttpRequest, payload: ListIn):
    """Create a shopping list (shared with the company when asked)."""
    return _out(
        request, lists.shopping_list_create(owner=request.user, name=payload.name, shared=payload.shared)
    )


@router.get("/{list_id}", response=ListOut)
def shopping_list(request: HttpRequest, list_id: int):
    """One shopping list with its lines: the caller's own or one shared with their company."""
    return _out(request, lists.shopping_list_for(request.user, list_id))


@router.post("/{list_id}/items", response=ListOut)
def shopping_list_add(request: HttpRequest, list_id: int, payload: ItemsIn):
    """Add items (only the owner); an unknown or invisible SKU refuses the whole call."""
    found = lists.shopping_list_for(request.user, list_id)
    lists.shopping_list_add(
        user=request.user,
        shopping_list=found,
        context=request.customer_context,
        items=[(item.sku, item.quantity) for item in payload.items],
    )
    return _out(request, found)


@router.delete("/{list_id}/lines/{line_id}", response=ListOut)
def shopping_list_remove(request: HttpRequest, list_id: int, line_id: int):
    """Remove a line from a shopping list (its owner only)."""
    found = lists.shopping_list_for(request.user, list_id)
    lists.shopping_list_remove_line(user=request.user, shopping_list=found, line_id=line_id)
    return _out(request, found)


@router.delete("/{list_id}", response={204: None})
def shopping_list_delete(request: HttpRequest, list_id: int):
    """Delete a shopping list (its owner only)."""
    found = lists.shopping_list_for(request.user, list_id)
    lists.shopping_list_delete(user=request.user, shopping_list=found)
    return Status(204, None)


@router.post("/{list_id}/to-cart", response=QuickOrderOut)
def shopping_list_to_cart(request: HttpRequest, list_id: int, payload: ToCartIn):
    """Put the whole list, or the chosen lines, into the cart; a result per item."""
    report = lists.shopping_list_to_cart(
        shopping_list=lists.shopping_list_for(request.user, list_id),
        cart=request_cart(request, create=True),
        context=request.customer_context,
        line_ids=payload.line_ids,
    )
    return quick_order_report_out(request, report)
