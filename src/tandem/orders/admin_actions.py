"""Actions other apps add to the admin's order list (billing: "Issue invoice"), so the orders
admin offers them without importing those apps."""

from collections.abc import Callable

_actions: list[Callable] = []


def order_admin_action(action: Callable) -> Callable:
    """Offer ``action`` (an admin action function) on the order list; returns it unchanged."""
    if action not in _actions:
        _actions.append(action)
    return action


def order_admin_actions() -> list[Callable]:
    return list(_actions)
