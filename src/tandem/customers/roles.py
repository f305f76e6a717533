"""Staff roles: one Django group per role with the permissions that role needs."""

from django.utils.translation import gettext_lazy as _

# What the customer-facing roles may read of the customers app: everything but the API
# tokens (integrations are the admin's) — and only their own customers' rows (staff_scope).
CUSTOMER_VIEWS = (
    "view_user",
    "view_customergroup",
    "view_company",
    "view_companyuser",
    "view_address",
    "view_pickupperson",
    "view_invitation",
    "view_termsversion",
    "view_termsacceptance",
)

# What a rep may do with their own customers: read them, keep their details, addresses and
# pickup people up to date (not their commercial terms: change_commercial_terms).
REP_CUSTOMER_PERMISSIONS = (
    *CUSTOMER_VIEWS,
    "change_company",
    "add_address",
    "change_address",
    "add_pickupperson",
    "change_pickupperson",
)

# role name → {app_label: permission codename prefixes or full codenames}
STAFF_ROLES: dict[str, dict[str, tuple[str, ...]]] = {
    "Admin": {
        "*": ("add", "change", "delete", "view"),
        "orders": ("view_all_orders",),
        "customers": ("act_for_all_customers", "change_commercial_terms"),
        "quotes": ("manage_all_quotes", "approve_below_floor"),
    },
    "Catalog manager": {
        "catalog": ("add", "change", "delete", "view"),
        "inventory": ("add", "change", "delete", "view"),
        "pricing": ("add", "change", "delete", "view"),
        "content": ("add", "change", "delete", "view"),  # articles and the shop's pages
        "service": ("add", "change", "delete", "view"),  # the FAQ and unanswered questions
    },
    "Sales rep": {
        "catalog": ("view",),
        "inventory": ("view",),
        "pricing": ("view",),
        "customers": REP_CUSTOMER_PERMISSIONS,
        "billing": ("view",),
        "orders": ("view",),
        "checkout": ("view",),
        "quotes": ("view", "add_quote", "change_quote"),
        "punchout": ("view", "add_punchoutcredential", "change_punchoutcredential"),  # their customers'
    },
    # A rep who leads the others: every customer's quotes and orders, and offers below the floor.
    "Sales manager": {
        "catalog": ("view",),
        "inventory": ("view",),
        "pricing": ("view",),
        "customers": (*REP_CUSTOMER_PERMISSIONS, "act_for_all_customers"),
        "billing": ("view",),
        "orders": ("view", "view_all_orders"),
        "checkout": ("view",),
        "quotes": ("view", "add_quote", "change_quote", "manage_all_quotes", "approve_below_floor"),
        "punchout": ("view", "add_punchoutcredential", "change_punchoutcredential"),
    },
    "Fulfilment": {
        "catalog": ("view",),
        "inventory": ("add", "change", "view"),
        "customers": ("view_company", "view_address", "view_pickupperson"),
        "orders": ("view", "change_order", "view_all_orders"),
        "checkout": ("view",),
        "messaging": ("view_webhookdelivery",),
    },
    "Finance": {
        "customers": (*CUSTOMER_VIEWS, "change_company", "change_commercial_terms"),
        "billing": ("add", "change", "delete", "view"),
        "pricing": ("view",),
        "core": ("view_auditentry",),
        "orders": ("view", "view_all_orders"),
    },
}
STAFF_ROLE_LABELS = {
    "Admin": _("Admin"),
    "Catalog manager": _("Catalog manager"),
    "Sales rep": _("Sales rep"),
    "Sales manager": _("Sales manager"),
    "Fulfilment": _("Fulfilment"),
    "Finance": _("Finance"),
}
# Permissions that widen what a role sees are granted only by their full codename, never by
# a prefix: "view" gives a sales rep the order pages, not every customer's orders.
FULL_NAME_ONLY = {
    "view_all_orders",
    "act_for_all_customers",
    "manage_all_quotes",
    "approve_below_floor",
    "change_commercial_terms",
}
TANDEM_APPS = (
    "core",
    "customers",
    "catalog",
    "inventory",
    "pricing",
    "billing",
    "cart",
    "checkout",
    "orders",
    "messaging",
    "quotes",
    "punchout",
)


def _matches(codename: str, rules: tuple[str, ...]) -> bool:
    if codename in FULL_NAME_ONLY:
        return codename in rules
    return any(codename == rule or codename.startswith(rule + "_") for rule in rules)


def staff_roles_sync() -> None:
    """Create or update the staff role groups so they hold exactly their permissions."""
    from django.contrib.auth.models import Group, Permission

    permissions = list(
        Permission.objects.filter(content_type__app_label__in=TANDEM_APPS).select_related("content_type")
    )
    for role, rules in STAFF_ROLES.items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = [
            permission
            for permission in permissions
            if _matches(permission.codename, rules.get("*", ()))
            or _matches(permission.codename, rules.get(permission.content_type.app_label, ()))
        ]
        group.permissions.set(wanted)


def staff_roles_sync_after_migrate(sender, **kwargs) -> None:
    # post_migrate fires once per app in INSTALLED_APPS order, after that app's permissions
    # exist; the roles need the permissions of all TANDEM_APPS, so act after the last of them.
    from django.apps import apps

    labels = [config.label for config in apps.get_app_configs() if config.label in TANDEM_APPS]
    if sender.label == labels[-1]:
        staff_roles_sync()
