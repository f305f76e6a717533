"""Order notifications, sent by the worker in the order's language."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from tandem.core.tasks import send_email
from tandem.customers.models import CompanyRole, CompanyUser
from tandem.orders.models import Order


@task()
def order_confirmation_send(*, order_id: int) -> int:
    """E-mail the order confirmation to the buyer (and, for a company, its admins)."""
    order = Order.objects.select_related("company").prefetch_related("lines").get(pk=order_id)
    recipients = [order.email]
    if order.company_id:
        recipients += [email for email in CompanyUser.objects.filter(
            company_id=order.company_id, role=CompanyRole.ADMIN, is_active=True,
        ).values_list("user__email", flat=True) if email != order.email]
    with translation.override(order.language):
        context = {"order": order, "shop_name": settings.SHOP_NAME,
                   "bank_account": settings.SHOP_BANK_ACCOUNT,
                   "url": settings.SHOP_URL + reverse("checkout:order_done", args=[order.token])}
        subject = render_to_string("orders/email/confirmation_subject.txt", context).strip()
        body = render_to_string("orders/email/confirmation.txt", context)
    send_email.enqueue(subject=subject, body=body, to=recipients)
    return len(recipients)
