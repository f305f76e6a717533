"""Which customers a staff user works with: one rule for every surface.

The staff order pages, the rep dashboard, the API, the exports, the messages and every admin
changelist and change form narrow what a staff user sees with ``companies_managed_by``, so a
sales rep meets only their own customers wherever they look, and a company outside their
scope is "not found" (never "forbidden": they do not learn that it exists).

Seeing every customer is a permission, not a role name: staff who see every order
(fulfilment, finance, managers) or may act for every customer see every company.
"""

from django.db.models import QuerySet

from tandem.customers.models import Company, User

# Permissions that widen a staff user's view from their own customers to every customer.
SEE_ALL_CUSTOMERS = ("orders.view_all_orders", "customers.act_for_all_customers")
# Changing a company's commercial terms (credit limit, payment terms, group, sales rep) is
# finance's and the admin's decision, not a rep's: a rep never raises their own customer's limit.
CHANGE_COMMERCIAL_TERMS = "customers.change_commercial_terms"
COMMERCIAL_TERMS = ("customer_group", "payment_terms", "credit_limit", "currency", "sales_rep")


def is_active_staff(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def sees_all_customers(user: User) -> bool:
    """Active staff with a permission that shows them every customer."""
    return is_active_staff(user) and any(user.has_perm(name) for name in SEE_ALL_CUSTOMERS)


def own_customers(user: User) -> QuerySet[Company]:
    """The companies whose sales rep this user is."""
    return Company.objects.filter(sales_rep_id=user.pk)


def companies_managed_by(user: User) -> QuerySet[Company]:
    """The companies a staff user works with: every one for staff who see all customers, a
    sales rep's own customers otherwise, none for anyone who is not active staff."""
    if not is_active_staff(user):
        return Company.objects.none()
    return Company.objects.all() if sees_all_customers(user) else own_customers(user)


def manages_any_customer(user: User) -> bool:
    """Staff who see every customer, or a rep with at least one."""
    return sees_all_customers(user) or (is_active_staff(user) and own_customers(user).exists())


def may_change_commercial_terms(user: User) -> bool:
    return is_active_staff(user) and user.has_perm(CHANGE_COMMERCIAL_TERMS)
