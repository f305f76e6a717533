"""The staff scope (``customers.staff_scope``) in the admin.

Every admin of customer data derives from ``CustomerScopedAdmin`` and names how a row
reaches its company (``company_path``). The changelist, the change form, the search, the
autocomplete and every choice of a company in a form then hold only the companies the staff
user works with: a sales rep's own customers, everyone's for finance, fulfilment, managers
and admins. A row outside the scope is "not found", as on the staff pages and in the API.
"""

from django.contrib import admin

from tandem.customers.models import Company
from tandem.customers.staff_scope import companies_managed_by, sees_all_customers


class CustomerScopedAdmin(admin.ModelAdmin):
    """Rows of the customers this staff user works with; rows of no company (retail
    customers, staff) only for those who see every customer."""

    company_path = "company"  # the lookup from a row to its Company

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        return rows if self.sees_every_customer(request) else self.scope_rows(rows, request)

    def sees_every_customer(self, request) -> bool:
        return sees_all_customers(request.user)

    def scope_rows(self, rows, request):
        """``rows`` narrowed to the user's customers."""
        return rows.filter(**{f"{self.company_path}__in": companies_managed_by(request.user).values("pk")})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Company:
            kwargs["queryset"] = companies_managed_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.related_model is Company:
            kwargs["queryset"] = companies_managed_by(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
