"""How many lines a cart holds, for the header of every page: kept in the shared cache, so a
page served from the cache runs no query for it. Every change of a cart's lines forgets the
count (at once and again after commit); a missed change heals within ``COUNT_SECONDS``."""

from django.core.cache import cache
from django.db import transaction

from tandem.cart.models import Cart, CartLine

COUNT_SECONDS = 60


def _key(*, user_id: int | None, token: object | None) -> str:
    return f"cart-lines:u{user_id}" if user_id else f"cart-lines:t{token}"


def cart_line_count(*, user_id: int | None = None, token: str | None = None) -> int:
    """Lines in the signed-in user's cart, or in the guest cart with this token."""
    if not user_id and not token:
        return 0
    key = _key(user_id=user_id, token=token)
    count = cache.get(key)
    if count is None:
        lines = (
            CartLine.objects.filter(cart__user_id=user_id)
            if user_id
            else CartLine.objects.filter(cart__token=token, cart__user__isnull=True)
        )
        count = lines.count()
        cache.set(key, count, COUNT_SECONDS)
    return count


def cart_count_forget(*carts: Cart | None) -> None:
    """The carts' lines changed: their counts are read again."""
    keys = [_key(user_id=cart.user_id, token=cart.token) for cart in carts if cart is not None]
    if keys:
        cache.delete_many(keys)
        if transaction.get_connection().in_atomic_block:  # else the change is committed already
            transaction.on_commit(lambda: cache.delete_many(keys))
