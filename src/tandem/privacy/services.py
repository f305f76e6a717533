"""A person's data: a copy of it (GDPR art. 15 and 20) and its erasure (art. 17).

**The copy** is every row that points at the person — found through the relations to the
user model, so a table added later is in it without anyone remembering to add it — with the
lines of their orders, invoices, lists, requests for quotation and message threads; secrets
(password and token hashes, authenticator secrets, session keys) are left out. One ZIP:
``data.json`` with everything, and CSV files of the orders, order lines, addresses and
consents for a spreadsheet.

**Erasure** anonymises the account at once: name, e-mail, phone and password go, with the
addresses, carts, lists, recurring orders, notifications, sessions, API tokens and
authenticator; the person is signed out everywhere and can no longer sign in; membership of a
company ends. Orders and invoices stay, as the accounting law requires, with the buyer's
details as they were — until ``PERSONAL_DATA_RETENTION_YEARS`` have passed, when the
housekeeping job anonymises those too. An account with orders still in progress is not
erased (the order could not be delivered or invoiced); staff accounts are closed in the admin.
Every copy and erasure is in the audit log.
"""

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.billing.models import Invoice
from tandem.cart.models import Cart, ShoppingList
from tandem.core.audit import audit_record
from tandem.core.errors import DomainError
from tandem.core.tabular import csv_stream, spreadsheet_cell
from tandem.customers.auth import password_confirm
from tandem.customers.consents import consent_record
from tandem.customers.models import (
    Address,
    ApiToken,
    CompanyRole,
    CompanyUser,
    ConsentKind,
    ConsentSource,
    Invitation,
    User,
)
from tandem.customers.sessions import sign_out_everywhere
from tandem.customers.two_factor import two_factor_forget
from tandem.messaging.models import Notification
from tandem.orders.models import Order, OrderStatus, RecurringOrder
from tandem.pricing.models import PromotionRedemption

SECRET_FIELDS = {
    "password",
    "secret",
    "code_hash",
    "key_hash",
    "token_hash",
    "session_key",
    "session_token",
    "idempotency_key",
}
# Rows that point at the person only as the one who acted on someone else's data: not theirs
# to receive (GDPR art. 15(4)) — invitations they sent name colleagues.
NOT_THEIRS = {("customers.invitation", "invited_by")}
# Fields of the person's rows that hold other people's data: a reseller's end client, the
# before/after details of what the person did in the audit log.
THIRD_PARTY_FIELDS = {
    "quotes.reselleroffer": {"client_name", "client_details"},
    "core.auditentry": {"changes"},
}
# Rows that belong to a row of the person's: the lines of an order, of a list…
CHILDREN = {
    "orders.order": [("orders.orderline", "order")],
    "billing.invoice": [("billing.invoiceline", "invoice")],
    "cart.shoppinglist": [("cart.shoppinglistline", "shopping_list")],
    "quotes.quote": [("quotes.quoterequestline", "quote")],
    "messaging.thread": [("messaging.message", "thread")],
}
OPEN_ORDER_STATUSES = (
    OrderStatus.PENDING_APPROVAL,
    OrderStatus.PLACED,
    OrderStatus.CONFIRMED,
    OrderStatus.IN_PROGRESS,
    OrderStatus.SHIPPED,
)
ERASED_DOMAIN = "erased.invalid"


class ErasureRefused(DomainError):
    code = "erasure_refused"
    status = 409


# --- the copy ------------------------------------------------------------------------------------


def _value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, bytes | memoryview):
        return None
    return value


def _row(obj: models.Model) -> dict[str, Any]:
    left_out = SECRET_FIELDS | THIRD_PARTY_FIELDS.get(obj._meta.label_lower, set())
    return {
        field.attname: _value(getattr(obj, field.attname))
        for field in obj._meta.concrete_fields
        if field.name not in left_out
    }


def _reverse_relations():
    """Every relation from another model to the user model (the hidden ones too)."""
    for field in User._meta.get_fields(include_hidden=True):
        if field.auto_created and not field.concrete and (field.one_to_many or field.one_to_one):
            yield field.related_model, field.field.name


def personal_data(user: User) -> dict[str, list[dict[str, Any]]]:
    """Everything stored about ``user``: the account and every row pointing at it, by table."""
    tables: dict[str, dict[int, dict[str, Any]]] = {"customers.user": {user.pk: _row(user)}}
    for model, field_name in _reverse_relations():
        if model is User or (model._meta.label_lower, field_name) in NOT_THEIRS:
            continue
        for obj in model._default_manager.filter(**{field_name: user}).order_by("pk"):
            tables.setdefault(model._meta.label_lower, {})[obj.pk] = _row(obj)
    for parent, children in CHILDREN.items():
        parent_ids = list(tables.get(parent, {}))
        for label, field_name in children:
            if not parent_ids:
                continue
            model = apps.get_model(label)
            for obj in model._default_manager.filter(**{f"{field_name}__in": parent_ids}).order_by("pk"):
                tables.setdefault(label, {})[obj.pk] = _row(obj)
    return {label: list(rows.values()) for label, rows in sorted(tables.items())}


def _csv(rows: list[dict[str, Any]], columns: list[str]) -> str:
    """The rows as CSV (``core.tabular``: BOM for Excel, formula-safe cells); nested values
    (an address, a buyer) as JSON text."""

    def cell(value: Any) -> Any:
        if value is None:
            return ""
        return spreadsheet_cell(
            json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value
        )

    return "".join(csv_stream(columns, ([cell(row.get(column)) for column in columns] for row in rows)))


CSV_FILES = {
    "orders.csv": (
        "orders.order",
        [
            "number",
            "placed_at",
            "status",
            "channel",
            "currency",
            "total_net",
            "total_gross",
            "email",
            "buyer",
        ],
    ),
    "order_lines.csv": (
        "orders.orderline",
        ["order_id", "sku", "name", "quantity", "unit", "unit_net", "unit_gross", "line_net"],
    ),
    "addresses.csv": (
        "customers.address",
        ["label", "kind", "recipient", "street", "postal_code", "city", "country", "phone"],
    ),
    "consents.csv": (
        "customers.consent",
        ["created_at", "kind", "version", "granted", "source", "ip_address"],
    ),
}


def personal_data_export(*, user: User, actor: User, ip_address: str | None = None) -> bytes:
    """The person's data as a ZIP (``data.json`` and CSV files); audited."""
    data = personal_data(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json",
            json.dumps(
                {"exported_at": timezone.now().isoformat(), "shop": settings.SHOP_NAME, "tables": data},
                ensure_ascii=False,
                indent=1,
                cls=DjangoJSONEncoder,
            ),
        )
        for name, (label, columns) in CSV_FILES.items():
            rows = data.get(label, [])
            present = [column for column in columns if not rows or column in rows[0]]
            archive.writestr(name, _csv(rows, present))
    audit_record(
        action="privacy.exported",
        actor_id=actor.pk,
        target=user,
        changes={"tables": len(data), "rows": sum(len(rows) for rows in data.values())},
        ip_address=ip_address,
    )
    return buffer.getvalue()


# --- erasure -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ErasureReport:
    orders_kept: int
    invoices_kept: int
    kept_until_year: int


def _orders_of(user: User):
    return Order.objects.filter(Q(user=user) | Q(placed_by=user))


def erasure_refusal(user: User) -> str:
    """Why the account cannot be erased now ("" when it can)."""
    if user.erased_at is not None:
        return str(_("This account has been erased already."))
    if user.is_staff:
        return str(_("Staff accounts are closed in the admin (deactivate the user), not erased here."))
    membership = CompanyUser.objects.filter(user=user, is_active=True, role=CompanyRole.ADMIN).first()
    if membership is not None:
        admins = CompanyUser.objects.filter(
            company_id=membership.company_id, role=CompanyRole.ADMIN, is_active=True
        )
        if not admins.exclude(pk=membership.pk).exists():
            return str(
                _(
                    "You are your company's only admin. "
                    "Make a colleague an admin first, so someone manages its users."
                )
            )
    open_orders = list(
        _orders_of(user).filter(status__in=OPEN_ORDER_STATUSES).values_list("number", flat=True)[:10]
    )
    if open_orders:
        return str(
            _(
                "Orders in progress: %(numbers)s. "
                "The account can be erased once they are delivered or cancelled."
            )
            % {"numbers": ", ".join(open_orders)}
        )
    return ""


def personal_data_erase(*, user: User, actor: User, ip_address: str | None = None) -> ErasureReport:
    """Anonymise the account of ``user`` now (see the module's note); ErasureRefused with the
    reason when it cannot be done yet."""
    refusal = erasure_refusal(user)
    if refusal:
        raise ErasureRefused(refusal)
    report = ErasureReport(  # read before the write transaction: erasure changes neither count
        orders_kept=_orders_of(user).count(),
        invoices_kept=Invoice.objects.filter(user=user).count(),
        kept_until_year=timezone.now().year + settings.PERSONAL_DATA_RETENTION_YEARS,
    )
    with transaction.atomic():
        two_factor_forget(user)
        old_email = user.email
        user.email = f"erased-{user.pk}@{ERASED_DOMAIN}"
        user.full_name = ""
        user.phone = ""
        user.set_unusable_password()
        user.is_active = False
        user.erased_at = timezone.now()
        user.save()
        for rows in (
            Address.objects.filter(user=user),
            Cart.objects.filter(user=user),
            ShoppingList.objects.filter(owner=user, shared=False),  # shared ones are the colleagues' too
            RecurringOrder.objects.filter(owner=user),
            Notification.objects.filter(user=user),
            ApiToken.objects.filter(user=user),
        ):
            rows.delete()
        CompanyUser.objects.filter(user=user).update(is_active=False)
        Invitation.objects.filter(accepted_by=user).update(email=user.email)
        PromotionRedemption.objects.filter(customer_email__iexact=old_email).update(customer_email=user.email)
        consent_record(
            user=user, kind=ConsentKind.MARKETING_EMAIL, granted=False, source=ConsentSource.ERASURE
        )
        audit_record(
            action="privacy.erased",
            actor_id=actor.pk if actor.pk != user.pk else None,
            target=user,
            changes={
                "orders_kept": report.orders_kept,
                "invoices_kept": report.invoices_kept,
                "kept_until_year": report.kept_until_year,
                "by_the_person": actor.pk == user.pk,
            },
            ip_address=ip_address,
        )
    sign_out_everywhere(user=user, actor=actor, ip_address=ip_address)
    return report


def account_erase(*, user: User, password: str, ip_address: str = "") -> ErasureReport:
    """The person erases their own account, confirming with their password (counted by the
    sign-in throttle): the page and the API both come here."""
    password_confirm(user=user, password=password, ip=ip_address)
    return personal_data_erase(user=user, actor=user, ip_address=ip_address or None)


def zip_download(archive: bytes, filename: str) -> HttpResponse:
    """A ZIP made here, as a download (the privacy page, the API, the admin)."""
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _retention_cutoff(now: datetime) -> datetime:
    years = settings.PERSONAL_DATA_RETENTION_YEARS
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def _anonymised_buyer(buyer: dict, *, email: str, company: bool) -> dict:
    if company:  # a company's details are not a person's; the person's e-mail is
        return {**buyer, "email": email}
    return {"name": "—", "email": email, "country": buyer.get("country", "")}


def personal_data_retention_apply() -> str:
    """Orders and invoices of erased accounts older than the retention period lose the
    buyer's personal details too (housekeeping)."""
    cutoff = _retention_cutoff(timezone.now())
    orders = 0
    for order in (
        Order.objects.filter(user__erased_at__isnull=False, placed_at__lt=cutoff)
        .exclude(email__endswith=f"@{ERASED_DOMAIN}")
        .select_related("user")
    ):
        email = order.user.email
        order.email = email
        order.buyer = _anonymised_buyer(order.buyer or {}, email=email, company=order.company_id is not None)
        order.shipping_address = {"country": (order.shipping_address or {}).get("country", "")}
        order.save(update_fields=["email", "buyer", "shipping_address"])
        orders += 1
    invoices = 0
    for invoice in Invoice.objects.filter(
        user__erased_at__isnull=False, issue_date__lt=cutoff.date()
    ).select_related("user"):
        if (invoice.buyer or {}).get("email", "").endswith(f"@{ERASED_DOMAIN}"):
            continue
        # The one change an issued invoice ever gets: when the law no longer asks to keep it whole.
        Invoice.objects.filter(pk=invoice.pk).update(
            buyer=_anonymised_buyer(
                invoice.buyer or {}, email=invoice.user.email, company=invoice.company_id is not None
            )
        )
        invoices += 1
    return f"privacy retention: {orders} orders and {invoices} invoices of erased accounts anonymised"
