"""What an API key may do: its scopes, and which scope each endpoint needs.

A key acts within its scopes **and** its user's rights: the scope is checked first (403
``insufficient_scope`` naming it), then every endpoint applies the user's rules as for their
browser session. The table below is the one place that says which scope a path needs; a
test checks that every API operation is covered, so a new endpoint cannot be added without
deciding it. Keys made before scopes existed hold ``*`` (every scope).
"""

from django.utils.translation import gettext_lazy as _

ALL = "*"
BY_ENDPOINT = "by-endpoint"  # the endpoint names the scope itself (an export: its kind's)
SCOPES = {
    "catalog:read": _("read the catalog with the key's own prices and assortment"),
    "catalog:write": _("create and change products and variants (merchant staff)"),
    "prices:write": _("set list prices (merchant staff)"),
    "stock:write": _("set stock levels (merchant staff)"),
    "customers:read": _("read the account, company, users, addresses and messages"),
    "customers:write": _("change the account, company users, addresses, consents; send messages"),
    "orders:read": _("read orders, carts, lists, quotes and approvals"),
    "orders:write": _("place and change orders, carts, lists, quotes; ship and invoice"),
    "documents:read": _("read invoices, dispatch notes, statements and balances"),
    "payments:write": _("record and allocate payments received"),
    "webhooks:manage": _("subscribe to events, read the delivery log, replay (merchant staff)"),
}
SCOPE_CHOICES = [(code, f"{code} — {label}") for code, label in SCOPES.items()]
READS = ("GET", "HEAD", "OPTIONS")

# (path prefix under /api/v1, scope for reads, scope for writes); the first that matches.
RULES: list[tuple[str, str, str]] = [
    ("/catalog/", "catalog:read", "catalog:read"),  # POST lookups read too
    ("/products", "catalog:read", "catalog:write"),
    ("/categories", "catalog:read", "catalog:write"),
    ("/attributes", "catalog:read", "catalog:write"),
    ("/list-prices", "catalog:read", "prices:write"),
    ("/price-lists", "catalog:read", "prices:write"),
    ("/imports", "catalog:write", "catalog:write"),  # a stock, price or company file needs that scope too
    ("/stock-levels", "catalog:read", "stock:write"),
    ("/exports", BY_ENDPOINT, BY_ENDPOINT),  # the scope of what is exported
    ("/account/balance", "documents:read", "documents:read"),
    ("/account/ledger", "documents:read", "documents:read"),
    ("/account/statement", "documents:read", "documents:read"),
    ("/account/", "customers:read", "customers:write"),
    ("/approval-rules", "customers:read", "customers:write"),
    ("/inbox", "customers:read", "customers:write"),
    ("/messages/", "customers:read", "customers:write"),
    ("/invoices", "documents:read", "orders:write"),
    ("/dispatch-notes", "documents:read", "documents:read"),
    ("/companies/changes", "customers:read", "customers:read"),
    ("/companies/", "documents:read", "customers:write"),  # ledgers and balances; a company's users
    ("/companies", "customers:read", "customers:write"),
    ("/customer-groups", "customers:read", "customers:write"),
    ("/receivables/", "documents:read", "documents:read"),
    ("/payments/changes", "documents:read", "documents:read"),
    ("/payments", "payments:write", "payments:write"),
    ("/cart", "orders:read", "orders:write"),
    ("/checkout", "orders:read", "orders:write"),
    ("/lists", "orders:read", "orders:write"),
    ("/orders", "orders:read", "orders:write"),
    ("/approvals", "orders:read", "orders:write"),
    ("/recurring-orders", "orders:read", "orders:write"),
    ("/quotes", "orders:read", "orders:write"),
    ("/resale-offers", "orders:read", "orders:write"),
    ("/rep/", "orders:read", "orders:write"),
    ("/webhooks", "webhooks:manage", "webhooks:manage"),
    ("/feeds", "customers:read", "customers:write"),  # catalog feeds: a company's settings
    ("/faq", "catalog:read", "catalog:read"),  # public; a key reading it needs no more
    ("/compare", "catalog:read", "catalog:read"),  # products side by side, the caller's prices
    ("/recommendations", "orders:read", "orders:read"),  # drawn from the caller's own orders
    ("/articles", "catalog:read", "catalog:read"),  # public, product blocks priced for the caller
    ("/pages/", "catalog:read", "catalog:read"),  # public static pages
    ("/assistant/handover", "customers:write", "customers:write"),  # writes to the rep
    ("/assistant/", "customers:read", "customers:read"),  # answers from the caller's own data
    ("/punchout/", "customers:read", "customers:write"),  # procurement-system connections and logs
]


def scope_needed(method: str, path: str) -> str | None:
    """The scope a key needs for ``method`` on ``path`` (relative to /api/v1); None for a
    path no rule names (the test of the table says there is none)."""
    for prefix, read, write in RULES:
        if path.startswith(prefix):
            return read if method.upper() in READS else write
    return None


def key_allows(scopes: list[str], needed: str | None) -> bool:
    return needed in (None, BY_ENDPOINT) or ALL in scopes or needed in scopes
