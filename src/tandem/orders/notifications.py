"""Order notifications, sent by the worker in the order's language."""

from django.conf import settings
from django_tasks import task

from tandem.core.emails import send_templated_email, site_url
from tandem.customers.models import CompanyRole, CompanyUser
from tandem.orders.models import Order


@task()
def order_confirmation_send(*, order_id: int) -> int:
    """E-mail the order confirmation to the buyer (and, for a company, its admins). The inbox
    rows and webhook deliveries were written with the order itself."""
    order = Order.objects.select_related("company").prefetch_related("lines").get(pk=order_id)
    recipients = [order.email]
    if order.company_id:
        recipients += [email for email in CompanyUser.objects.filter(
            company_id=order.company_id, role=CompanyRole.ADMIN, is_active=True,
        ).values_list("user__email", flat=True) if email != order.email]
    send_templated_email(
        template="orders/email/confirmation", to=recipients, language=order.language,
        context={"order": order, "bank_account": settings.SHOP_BANK_ACCOUNT,
                 "url": site_url("checkout:order_done", order.token)})
    return len(recipients)
