"""Who may do what, page by page and endpoint by endpoint.

Each row is one page or endpoint with the outcome every role gets: a status code, or
"done" (the request succeeded and its effect is there) / "refused" (the effect is not
there, whatever page the refusal was shown on). Every request runs in its own rolled-back
transaction on one shared world, so the rows stay independent. The last tests check that
every URL of the shop has a row (or is listed as public), so a new page or endpoint cannot
be added without deciding who may use it.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import get_resolver
from django.utils import timezone
from PIL import Image

from tandem.billing.documents.issuing import invoice_issue
from tandem.billing.models import Invoice
from tandem.cart.lists import shopping_list_create
from tandem.cart.models import CartLine, ShoppingList, ShoppingListLine
from tandem.checkout.services import order_place
from tandem.core.models import AuditEntry
from tandem.customers.company_users import MemberTerms, company_user_invite
from tandem.customers.models import (
    Address,
    ApiToken,
    Company,
    CompanyRole,
    Consent,
    Invitation,
    PickupPerson,
    User,
)
from tandem.customers.roles import staff_roles_sync
from tandem.inventory.models import StockItem
from tandem.messaging.models import Message, Notification, Thread
from tandem.messaging.threads import thread_start
from tandem.orders.models import ApprovalRule, CustomStatus, Order, OrderStatus, RecurringOrder
from tandem.orders.recurring import recurring_from_order
from tandem.orders.shipments import ShipmentRequest, shipment_create
from tandem.quotes.models import OfferStatus, Quote, QuoteAttachment, QuoteEvent, QuoteStatus, ResellerOffer
from tandem.quotes.resale_services import ResaleLineInput, ResaleOfferInput, resale_offer_create
from tandem.quotes.services import (
    OfferLineInput,
    OfferTerms,
    RequestedLine,
    offer_draft_save,
    offer_send,
    quote_request,
)
from tests.checkout.conftest import company_details, retail_details
from tests.factories import (
    PASSWORD,
    b2c_context,
    company_address,
    make_cart,
    make_company,
    make_company_user,
    make_delivery,
    make_product,
    make_user,
    user_context,
)

ROLES = ("anonymous", "retail", "admin", "buyer", "approver", "accountant", "stranger", "fulfilment", "rep")
COMPANY = ("admin", "buyer", "approver", "accountant")
STAFF = ("fulfilment", "rep")
NON_ADMINS = ("buyer", "approver", "accountant")


class World:
    """ACME (admin, buyer, approver, accountant; a sales rep), another company's admin (the
    stranger), a retail customer, a warehouse worker; an ACME order placed, one waiting for
    approval, and the rows each page acts on."""

    def __init__(self):
        staff_roles_sync()
        make_delivery("courier", price_net="0.00")
        self.users = {"anonymous": None, "retail": make_user("anna@shop.test")}
        self.users["rep"] = self._staff("rep@shop.test", "Sales rep")
        self.users["fulfilment"] = self._staff("warehouse@shop.test", "Fulfilment")
        # Both companies are resellers (a flag nothing else reads), so the stranger meets
        # ACME's offers for its own clients as another reseller: a 404.
        self.acme = make_company(
            "ACME", credit_limit=Decimal("100000"), sales_rep=self.users["rep"], is_reseller=True
        )
        for role in COMPANY:
            self.users[role] = make_company_user(
                self.acme, role, spending_limit_per_order=Decimal("1000") if role == "buyer" else None
            )
        self.users["stranger"] = make_company_user(make_company("Other", is_reseller=True), CompanyRole.ADMIN)
        self.address = company_address(self.acme)
        self.variant = make_product(net="100.00", gross="123.00", stock=1000).variants.get()
        buyer = self.users["buyer"]
        self.order = self._place(buyer, 1)  # 123.00: placed at once
        self.pending = self._place(buyer, 10)  # 1,230.00: over the buyer's limit
        self.retail_order = order_place(
            cart=make_cart(user=self.users["retail"], lines=[(self.variant, 1)]),
            context=b2c_context(),
            details=retail_details(email="anna@shop.test"),
            acting_user=self.users["retail"],
        )
        self.shopping_list = shopping_list_create(owner=buyer, name="Private")
        self.list_line = ShoppingListLine.objects.create(
            shopping_list=self.shopping_list, variant=self.variant, quantity=2
        )
        self.recurring = recurring_from_order(
            owner=buyer,
            order=self.order,
            every=1,
            unit="month",
            start=timezone.localdate() + timedelta(days=1),
        )
        self.person = PickupPerson.objects.create(company=self.acme, full_name="Jan", document_number="A1")
        self.rule = ApprovalRule.objects.create(company=self.acme, min_total=Decimal("50000"), role="admin")
        self.invitation, self.invitation_token = company_user_invite(
            admin=self.users["admin"], email="later@acme.test", terms=MemberTerms(role=CompanyRole.BUYER)
        )
        self.notification = Notification.objects.create(
            user=buyer, kind="test", title="Hello", url="/account/orders/"
        )
        self.custom_status = CustomStatus.objects.create(
            code="packing", name="Packing", stage=OrderStatus.IN_PROGRESS
        )
        self.resale_offer = resale_offer_create(
            user=buyer,
            details=ResaleOfferInput(
                client_name="Client",
                valid_until=timezone.localdate() + timedelta(days=7),
                lines=[ResaleLineInput(self.variant.sku, 1)],
            ),
        )
        self.quote = quote_request(
            user=buyer,
            context=user_context(buyer),
            message="Price for 50?",
            lines=[RequestedLine(self.variant.sku, 50)],
        )
        self.users["rep"] = type(self.users["rep"]).objects.get(pk=self.users["rep"].pk)  # fresh perms
        offer_draft_save(
            rep=self.users["rep"],
            quote=self.quote,
            lines=[OfferLineInput(self.variant.sku, 50)],
            terms=OfferTerms(valid_until=timezone.localdate() + timedelta(days=7)),
        )
        offer_send(rep=self.users["rep"], quote=self.quote)
        CartLine.objects.all().delete()

    @staticmethod
    def _staff(email: str, role: str):
        user = make_user(email, is_staff=True)
        user.groups.set(Group.objects.filter(name=role))
        return user

    def _place(self, buyer, quantity: int) -> Order:
        return order_place(
            cart=make_cart(lines=[(self.variant, quantity)]),
            context=user_context(buyer),
            acting_user=buyer,
            details=company_details(self.address.pk),
        )

    def status(self, order: Order) -> str:
        return Order.objects.get(pk=order.pk).status


def by(default, **roles) -> dict[str, object]:
    """Outcomes per role: ``default`` for the roles not named."""
    return {role: roles.get(role, default) for role in ROLES}


LOGIN = "login"  # a page: anonymous visitors are sent to log in


def page(default, **roles):
    return by(default, anonymous=LOGIN, **roles)


def api(default, **roles):
    return by(default, anonymous=401, **roles)


def resellers(outcome, **roles) -> dict[str, object]:
    """The users who build offers for their own clients get ``outcome``: a reseller's admin,
    buyer and approver, and the stranger (another reseller's admin), unless named."""
    return {**dict.fromkeys(("admin", "buyer", "approver", "stranger"), outcome), **roles}


def tiny_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="PNG")
    return buffer.getvalue()


@dataclass(frozen=True)
class Row:
    route: str
    method: str
    path: Callable[[World], str]
    expect: dict[str, object]
    data: Callable[[World], dict] | dict = field(default_factory=dict)
    done: Callable[[World], bool] | None = None  # the effect of a successful request
    prepare: Callable[[object, World], object] | None = None  # e.g. fill the caller's cart first

    @property
    def id(self) -> str:
        return f"{self.method} {self.route}"


def _password_known(client, world: World) -> None:
    """The caller's password is PASSWORD under the tests' quick hasher (the world was built
    before the tests switched hashers), signed in again with it."""
    user_id = client.session.get(SESSION_KEY)
    if user_id is not None:
        user = User.objects.get(pk=user_id)
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        client.force_login(user)


def _two_factor_on(world: World) -> None:
    """Everyone has set up an authenticator (a company admin requires it only then)."""
    for user in world.users.values():
        if user is not None:
            user.two_factor_enabled = True
            user.save(update_fields=["two_factor_enabled"])


def _company_key(client, world: World) -> None:
    """A key of the world's company (its buyer's) for the rows that rotate or revoke one."""
    from tandem.customers.api_auth import api_token_create

    if not ApiToken.objects.filter(name="Company ERP").exists():
        api_token_create(user=world.users["buyer"], name="Company ERP", scopes=["orders:read"])


def _company_key_id(world: World) -> int:
    return ApiToken.objects.get(name="Company ERP").pk


def _punchout_credential(client, world: World) -> None:
    """An SAP connection of the world's company (ordering as its buyer) for the rows that
    rotate or switch one off."""
    from tandem.punchout.models import PunchoutCredential

    if not PunchoutCredential.objects.filter(identity="acme-sap").exists():
        PunchoutCredential.objects.create(
            company=world.acme,
            name="SAP",
            protocol="oci",
            identity="acme-sap",
            secret_hash="0" * 64,
            buyer=world.users["buyer"].company_user,
        )


def _punchout_credential_id(world: World) -> int:
    from tandem.punchout.models import PunchoutCredential

    return PunchoutCredential.objects.get(identity="acme-sap").pk


def _punchout_rotated(world: World) -> bool:
    from tandem.punchout.models import PunchoutCredential

    return PunchoutCredential.objects.filter(identity="acme-sap").exclude(secret_hash="0" * 64).exists()


def _punchout_off(world: World) -> bool:
    from tandem.punchout.models import PunchoutCredential

    return PunchoutCredential.objects.filter(identity="acme-sap", is_active=False).exists()


def _acme_feed(client, world: World) -> None:
    """A catalog feed of the world's company for the rows that rotate or revoke one."""
    from tandem.feeds.models import Feed
    from tandem.feeds.services import feed_create

    if not Feed.objects.filter(name="ACME ERP").exists():
        feed_create(
            actor=world.users["admin"], company=world.acme, file_format="csv", language="en", name="ACME ERP"
        )


def _acme_feed_id(world: World) -> int:
    from tandem.feeds.models import Feed

    return Feed.objects.get(name="ACME ERP").pk


def _acme_feed_token_changed(world: World) -> bool:
    from tandem.core.models import AuditEntry

    return AuditEntry.objects.filter(action="feed.rotated").exists()


def _acme_feed_revoked(world: World) -> bool:
    from tandem.feeds.models import Feed

    return Feed.objects.filter(name="ACME ERP", is_active=False).exists()


def _fill_cart(client, world: World) -> None:
    client.post(
        "/api/v1/cart/lines", {"sku": world.variant.sku, "quantity": 1}, content_type="application/json"
    )


def _attach(client, world: World) -> None:
    """A file on the quote, saved where this test keeps its media."""
    world.attachment = QuoteAttachment(
        quote=world.quote, name="plan.pdf", size=8, uploaded_by=world.users["buyer"]
    )
    world.attachment.file.save("plan.pdf", ContentFile(b"%PDF-1.4"))


def _invoiced(client, world: World) -> None:
    """ACME's order shipped (a dispatch note) and invoiced (on shipment, or by hand)."""
    world.shipment = shipment_create(
        order=world.order, actor=world.users["fulfilment"], request=ShipmentRequest(quantities={})
    )
    world.invoice = Invoice.objects.filter(order=world.order).first() or invoice_issue(
        order=world.order, actor=None, shipment=world.shipment
    )


ROWS = [
    # --- client panel pages -------------------------------------------------------------
    Row("storefront:account", "get", lambda w: "/account/", page(200)),
    Row("storefront:terms", "get", lambda w: "/account/terms/", page(200)),
    Row("storefront:security", "get", lambda w: "/account/security/", page(200)),
    # --- privacy: one's own consents, data and account ---------------------------------
    Row("privacy:account", "get", lambda w: "/account/privacy/", page(200)),
    Row(
        "privacy:marketing",
        "post",
        lambda w: "/account/privacy/marketing/",
        page("done"),
        data={"granted": "1"},
        done=lambda w: Consent.objects.filter(kind="marketing_email", granted=True).exists(),
    ),
    Row("privacy:export", "post", lambda w: "/account/privacy/export/", page(200)),
    Row(
        "privacy:erase",
        "post",
        lambda w: "/account/privacy/erase/",
        # the retail customer and the buyer have orders in progress, each company admin is its
        # company's only one; staff close accounts in the admin
        page("refused", approver="done", accountant="done"),
        data={"password": PASSWORD, "confirm": "on"},
        done=lambda w: User.objects.filter(erased_at__isnull=False).exists(),
        prepare=_password_known,
    ),
    Row("storefront:two_factor_setup", "get", lambda w: "/account/security/two-factor/", page(200)),
    # Nobody here has an authenticator: the second step sends them on, the changes refuse.
    Row("storefront:two_factor_verify", "get", lambda w: "/accounts/two-factor/", page(302)),
    Row(
        "storefront:two_factor_disable",
        "post",
        lambda w: "/account/security/two-factor/off/",
        page(302),
        data={"code": "123456"},
    ),
    Row(
        "storefront:recovery_codes_renew",
        "post",
        lambda w: "/account/security/recovery-codes/",
        page(302),
        data={"code": "123456"},
    ),
    Row(
        "storefront:sign_out_everywhere",
        "post",
        lambda w: "/account/security/sign-out-everywhere/",
        page(302),
    ),
    Row("storefront:addresses", "get", lambda w: "/account/addresses/", page(200)),
    Row(
        "storefront:address_new",
        "get",
        lambda w: "/account/addresses/new/",
        page(200, buyer=302, approver=302, accountant=302),
    ),
    Row(
        "storefront:address_edit",
        "get",
        lambda w: f"/account/addresses/{w.address.pk}/",
        page(404, admin=200, buyer=302, approver=302, accountant=302),
    ),
    Row(
        "storefront:address_delete",
        "post",
        lambda w: f"/account/addresses/{w.address.pk}/delete/",
        page(404, admin="done", buyer="refused", approver="refused", accountant="refused"),
        done=lambda w: not Address.objects.filter(pk=w.address.pk).exists(),
    ),
    Row(
        "storefront:company",
        "get",
        lambda w: "/account/company/",
        page(200, retail=302, fulfilment=302, rep=302),
    ),
    Row(
        "storefront:company_user_invite",
        "post",
        lambda w: "/account/company/users/invite/",
        page("refused", admin="done", stranger="done"),
        data={"email": "new@x.test", "role": "buyer"},
        done=lambda w: Invitation.objects.filter(email="new@x.test").exists(),
    ),
    Row(
        "storefront:company_user_edit",
        "post",
        lambda w: f"/account/company/users/{w.users['buyer'].company_user.pk}/",
        page("refused", admin="done", stranger=404),
        data={"role": "approver", "is_active": "1"},
        done=lambda w: (
            w.users["buyer"].company_user.__class__.objects.get(pk=w.users["buyer"].company_user.pk).role
            == "approver"
        ),
    ),
    Row(
        "storefront:invitation_revoke",
        "post",
        lambda w: f"/account/company/invitations/{w.invitation.pk}/revoke/",
        page("refused", admin="done", stranger=404),
        done=lambda w: Invitation.objects.get(pk=w.invitation.pk).revoked_at is not None,
    ),
    Row(
        "storefront:pickup_person_new",
        "get",
        lambda w: "/account/company/pickup-persons/new/",
        page(302, admin=200, stranger=200),
    ),
    Row(
        "storefront:pickup_person_edit",
        "get",
        lambda w: f"/account/company/pickup-persons/{w.person.pk}/",
        page(302, admin=200, stranger=404),
    ),
    Row(
        "storefront:pickup_person_delete",
        "post",
        lambda w: f"/account/company/pickup-persons/{w.person.pk}/delete/",
        page("refused", admin="done", stranger=404),
        done=lambda w: not PickupPerson.objects.filter(pk=w.person.pk).exists(),
    ),
    Row(
        "storefront:approval_rule_add",
        "post",
        lambda w: "/account/company/approval-rules/",
        page("refused", admin="done", stranger="done"),
        data={"min_total": "777", "role": "approver"},
        done=lambda w: ApprovalRule.objects.filter(min_total=777).exists(),
    ),
    Row(
        "storefront:company_api_key_create",
        "post",
        lambda w: "/account/company/api-keys/",
        page("refused", admin="done"),
        data=lambda w: {"name": "Purchasing", "user_id": w.users["buyer"].pk, "scopes": ["orders:read"]},
        done=lambda w: ApiToken.objects.filter(name="Purchasing").exists(),
    ),
    Row(
        "storefront:company_api_key_rotate",
        "post",
        lambda w: f"/account/company/api-keys/{_company_key_id(w)}/rotate/",
        page("refused", admin="done", stranger=404),
        done=lambda w: ApiToken.objects.filter(name="Company ERP").count() == 2,
        prepare=_company_key,
    ),
    Row(
        "storefront:company_api_key_revoke",
        "post",
        lambda w: f"/account/company/api-keys/{_company_key_id(w)}/revoke/",
        page("refused", admin="done", stranger=404),
        done=lambda w: ApiToken.objects.filter(name="Company ERP", is_active=False).exists(),
        prepare=_company_key,
    ),
    # --- catalog feeds: the company admin's own (staff manage them in the admin) ------------
    Row("feeds:company", "get", lambda w: "/account/company/feeds/", page(403, admin=200, stranger=200)),
    Row(
        "feeds:company_rotate",
        "post",
        lambda w: f"/account/company/feeds/{_acme_feed_id(w)}/rotate/",
        page("refused", admin="done", stranger=404),
        done=_acme_feed_token_changed,
        prepare=_acme_feed,
    ),
    Row(
        "feeds:company_revoke",
        "post",
        lambda w: f"/account/company/feeds/{_acme_feed_id(w)}/revoke/",
        page("refused", admin="done", stranger=404),
        done=_acme_feed_revoked,
        prepare=_acme_feed,
    ),
    Row(
        "storefront:company_two_factor",
        "post",
        lambda w: "/account/company/two-factor/",
        page("refused", admin="done", stranger="done"),
        data={"required": "1"},
        done=lambda w: Company.objects.filter(require_two_factor=True).exists(),
        prepare=lambda client, w: _two_factor_on(w),
    ),
    Row(
        "storefront:approval_rule_delete",
        "post",
        lambda w: f"/account/company/approval-rules/{w.rule.pk}/delete/",
        page("refused", admin="done", stranger=404),
        done=lambda w: not ApprovalRule.objects.filter(pk=w.rule.pk).exists(),
    ),
    # --- orders -----------------------------------------------------------------------------
    Row("orders:list", "get", lambda w: "/account/orders/", page(200)),
    Row("orders:export", "get", lambda w: "/account/orders/export.csv", page(200)),
    Row("orders:approvals", "get", lambda w: "/account/approvals/", page(200)),
    Row("orders:recurring", "get", lambda w: "/account/recurring/", page(200)),
    Row(
        "orders:recurring",
        "post",
        lambda w: "/account/recurring/",
        page(404, buyer="done"),
        data=lambda w: {"id": w.recurring.pk, "state": "paused"},
        done=lambda w: RecurringOrder.objects.get(pk=w.recurring.pk).state == "paused",
    ),
    Row(
        "orders:detail",
        "get",
        lambda w: f"/account/orders/{w.order.number}/",
        page(404, **dict.fromkeys(COMPANY, 200)),
    ),
    Row("orders:detail", "get", lambda w: f"/account/orders/{w.retail_order.number}/", page(404, retail=200)),
    Row(
        "orders:cancel",
        "post",
        lambda w: f"/account/orders/{w.order.number}/cancel/",
        page(404, admin="done", buyer="done", approver="refused", accountant="refused"),
        done=lambda w: w.status(w.order) == OrderStatus.CANCELLED,
    ),
    # Accountants may fill a cart (they cannot check it out).
    Row(
        "orders:reorder",
        "post",
        lambda w: f"/account/orders/{w.order.number}/reorder/",
        page(404, **dict.fromkeys(COMPANY, "done")),
        done=lambda w: CartLine.objects.exists(),
    ),
    Row(
        "orders:reorder_result",
        "get",
        lambda w: f"/account/orders/{w.order.number}/reorder/result/",
        page(404, **dict.fromkeys(COMPANY, 302)),
    ),
    Row(
        "orders:decide",
        "post",
        lambda w: f"/account/orders/{w.pending.number}/decide/",
        page(404, admin="done", approver="done", buyer="refused", accountant="refused"),
        data={"decision": "approve"},
        done=lambda w: w.status(w.pending) == OrderStatus.PLACED,
    ),
    Row(
        "orders:repeat",
        "post",
        lambda w: f"/account/orders/{w.order.number}/repeat/",
        page(404, admin="done", buyer="done", approver="done", accountant="refused"),
        data=lambda w: {"every": "1", "unit": "week", "start": timezone.localdate().isoformat()},
        done=lambda w: RecurringOrder.objects.count() == 2,
    ),
    Row(
        "orders:to_list",
        "post",
        lambda w: f"/account/orders/{w.order.number}/save-as-list/",
        page(404, **dict.fromkeys(COMPANY, "done")),
        data={"name": "From order"},
        done=lambda w: ShoppingList.objects.filter(name="From order").exists(),
    ),
    # --- shopping lists -----------------------------------------------------------------------
    Row("lists:index", "get", lambda w: "/account/lists/", page(200)),
    Row("lists:detail", "get", lambda w: f"/account/lists/{w.shopping_list.pk}/", page(404, buyer=200)),
    Row(
        "lists:to_cart",
        "post",
        lambda w: f"/account/lists/{w.shopping_list.pk}/to-cart/",
        page(404, buyer="done"),
        done=lambda w: CartLine.objects.exists(),
    ),
    Row("lists:from_cart", "post", lambda w: "/cart/save-as-list/", page(302)),  # an empty cart
    # --- API: the account ---------------------------------------------------------------------
    Row(
        "api-v1:company",
        "get",
        lambda w: "/api/v1/account/company",
        api(200, retail=404, fulfilment=404, rep=404),
    ),
    Row(
        "api-v1:company_update",
        "patch",
        lambda w: "/api/v1/account/company",
        api("refused", admin="done", stranger="done"),
        data={"require_two_factor": True},
        done=lambda w: Company.objects.filter(require_two_factor=True).exists(),
        prepare=lambda client, w: _two_factor_on(w),
    ),
    Row("api-v1:addresses", "get", lambda w: "/api/v1/account/addresses", api(200)),
    Row("api-v1:consents", "get", lambda w: "/api/v1/account/privacy/consents", api(200)),
    Row(
        "api-v1:consent_give",
        "post",
        lambda w: "/api/v1/account/privacy/consents",
        api(201),
        data={"kind": "marketing_email", "granted": True},
    ),
    Row("api-v1:export", "get", lambda w: "/api/v1/account/privacy/export", api(200)),
    Row(
        "api-v1:erasure",
        "post",
        lambda w: "/api/v1/account/privacy/erasure",
        api("refused", approver="done", accountant="done"),
        data={"password": PASSWORD},
        done=lambda w: User.objects.filter(erased_at__isnull=False).exists(),
        prepare=_password_known,
    ),
    Row(
        "api-v1:address",
        "get",
        lambda w: f"/api/v1/account/addresses/{w.address.pk}",
        api(404, **dict.fromkeys(COMPANY, 200)),
    ),
    Row(
        "api-v1:address_create",
        "post",
        lambda w: "/api/v1/account/addresses",
        api(201, buyer=403, approver=403, accountant=403),
        data={"recipient": "R", "street": "S 1", "postal_code": "00-001", "city": "C", "country": "PL"},
    ),
    Row(
        "api-v1:address_update",
        "put",
        lambda w: f"/api/v1/account/addresses/{w.address.pk}",
        api(404, admin=200, buyer=403, approver=403, accountant=403),
        data={"recipient": "R", "street": "S 1", "postal_code": "00-001", "city": "C", "country": "PL"},
    ),
    Row(
        "api-v1:address_delete",
        "delete",
        lambda w: f"/api/v1/account/addresses/{w.address.pk}",
        api(404, admin=204, buyer=403, approver=403, accountant=403),
    ),
    # webhooks managed over the API: merchant staff with the webhook rights only
    *[
        Row(f"api-v1:{name}", method, lambda w, p=path: p, api(403), data=data)
        for name, method, path, data in (
            ("webhook_events", "get", "/api/v1/webhooks/events", {}),
            ("webhooks", "get", "/api/v1/webhooks", {}),
            ("webhook_create", "post", "/api/v1/webhooks", {"name": "x", "url": "https://erp.example.com/h"}),
            ("webhook", "get", "/api/v1/webhooks/1", {}),
            ("webhook_update", "patch", "/api/v1/webhooks/1", {"is_active": False}),
            ("webhook_delete", "delete", "/api/v1/webhooks/1", {}),
            ("webhook_rotate_secret", "post", "/api/v1/webhooks/1/rotate-secret", {}),
            ("webhook_test", "post", "/api/v1/webhooks/1/test", {}),
            ("webhook_deliveries", "get", "/api/v1/webhooks/1/deliveries", {}),
            ("webhook_replay", "post", "/api/v1/webhooks/deliveries/1/replay", {}),
        )
    ],
    # the catalog write API: merchant staff with the catalog's (stock's, prices') rights only
    Row(
        "api-v1:products_put",
        "put",
        lambda w: "/api/v1/products",
        api(403),
        data={"items": [{"external_id": "PERM-1", "brand": "Acme"}]},
    ),
    Row(
        "api-v1:company_users_put",
        "put",
        lambda w: "/api/v1/companies/PERM-K/users",
        api(403),
        data={"items": [{"email": "perm@x.test", "role": "buyer"}]},
    ),
    Row(
        "api-v1:customer_groups_put",
        "put",
        lambda w: "/api/v1/customer-groups",
        api(403),
        data={"items": [{"code": "perm", "name": "P"}]},
    ),
    Row(
        "api-v1:companies_put",
        "put",
        lambda w: "/api/v1/companies",
        api(403),
        data={"items": [{"external_id": "PERM-K", "phone": "1"}]},
    ),
    Row(
        "api-v1:companies_changes",
        "get",
        lambda w: "/api/v1/companies/changes",
        api(403, fulfilment=200, rep=200),
    ),
    Row(
        "api-v1:price_lists_put",
        "put",
        lambda w: "/api/v1/price-lists",
        api(403),
        data={"items": [{"code": "perm", "name": "P", "currency": "PLN"}]},
    ),
    Row(
        "api-v1:price_list_entries_put",
        "put",
        lambda w: "/api/v1/price-lists/perm/entries",
        api(403),
        data=lambda w: {"items": [{"sku": w.variant.sku, "price": "1.00"}]},
    ),
    Row("api-v1:import_create", "post", lambda w: "/api/v1/imports", api(403, fulfilment=400, rep=400)),
    Row("api-v1:import_detail", "get", lambda w: "/api/v1/imports/1", api(404)),
    Row("api-v1:import_errors", "get", lambda w: "/api/v1/imports/1/errors.csv", api(404)),
    Row(
        "api-v1:export_create",
        "post",
        lambda w: "/api/v1/exports",
        api(403, fulfilment=202, rep=202),
        data={"kind": "companies"},
    ),
    Row("api-v1:export_detail", "get", lambda w: "/api/v1/exports/1", api(404)),
    Row("service:assistant", "post", lambda w: "/assistant/", by(200), data={"text": "where is my order?"}),
    # the comparison lives in the visitor's own session: everyone, guests too
    Row(
        "service:compare_add",
        "post",
        lambda w: "/compare/add/",
        by(302),
        data=lambda w: {"product": w.variant.product_id},
    ),
    Row(
        "service:compare_remove",
        "post",
        lambda w: "/compare/remove/",
        by(302),
        data=lambda w: {"product": w.variant.product_id},
    ),
    Row("service:compare_clear", "post", lambda w: "/compare/clear/", by(302)),
    Row("service:buy_again", "get", lambda w: "/buy-again/", page(200)),
    Row(
        "api-v1:rep_reorders_due",
        "get",
        lambda w: "/api/v1/rep/reorders-due",
        api(403, fulfilment=200, rep=200),
    ),
    Row(
        "service:handover", "post", lambda w: "/assistant/handover/", page(302), data={"text": "Help, please"}
    ),
    Row(
        "api-v1:assistant_handover_create",
        "post",
        lambda w: "/api/v1/assistant/handover",
        api(400, admin=201, buyer=201, approver=201, accountant=201, stranger=409),  # a rep to write to
        data={"text": "Help, please"},
    ),
    Row(
        "api-v1:assistant_message",
        "post",
        lambda w: "/api/v1/assistant/messages",
        by(200),  # everyone, guests too: each gets answers from their own data only
        data={"text": "where is my order?"},
    ),
    Row("api-v1:export_file", "get", lambda w: "/api/v1/exports/1/file", api(404)),
    Row(
        "api-v1:products_changes",
        "get",
        lambda w: "/api/v1/products/changes",
        api(403, fulfilment=200, rep=200),
    ),
    Row("api-v1:product_image_create", "post", lambda w: "/api/v1/products/PERM-1/images", api(403)),
    Row("api-v1:product_image_delete", "delete", lambda w: "/api/v1/products/PERM-1/images/1", api(403)),
    Row(
        "api-v1:attributes_put",
        "put",
        lambda w: "/api/v1/attributes",
        api(403),
        data={"items": [{"code": "perm", "name": "P"}]},
    ),
    Row(
        "api-v1:categories_put",
        "put",
        lambda w: "/api/v1/categories",
        api(403),
        data={"items": [{"external_id": "PERM-C", "name": "C"}]},
    ),
    Row(
        "api-v1:stock_levels_put",
        "put",
        lambda w: "/api/v1/stock-levels",
        api(403, fulfilment=200),
        data=lambda w: {"items": [{"sku": w.variant.sku, "warehouse": "MAIN", "on_hand": 500}]},
        done=lambda w: StockItem.objects.filter(
            variant=w.variant, warehouse__code="MAIN", on_hand=500
        ).exists(),
    ),
    Row(
        "api-v1:list_prices_put",
        "put",
        lambda w: "/api/v1/list-prices",
        api(403),
        data=lambda w: {
            "items": [{"sku": w.variant.sku, "currency": "PLN", "channel": "b2c", "amount": "1.00"}]
        },
    ),
    Row(
        "api-v1:pickup_persons",
        "get",
        lambda w: "/api/v1/account/company/pickup-persons",
        api(200, retail=404, fulfilment=404, rep=404),
    ),
    Row(
        "api-v1:pickup_person_create",
        "post",
        lambda w: "/api/v1/account/company/pickup-persons",
        api(403, admin=201, stranger=201),
        data={"full_name": "Ewa", "document_number": "E1"},
    ),
    Row(
        "api-v1:pickup_person_update",
        "put",
        lambda w: f"/api/v1/account/company/pickup-persons/{w.person.pk}",
        api(403, admin=200, stranger=404),
        data={"full_name": "Ewa", "document_number": "E1"},
    ),
    Row(
        "api-v1:pickup_person_remove",
        "delete",
        lambda w: f"/api/v1/account/company/pickup-persons/{w.person.pk}",
        api(403, admin=204, stranger=404),
    ),
    Row(
        "api-v1:company_members",
        "get",
        lambda w: "/api/v1/account/company/users",
        api(200, retail=404, fulfilment=404, rep=404),
    ),
    Row(
        "api-v1:company_invite",
        "post",
        lambda w: "/api/v1/account/company/invitations",
        api(403, admin=201, stranger=201),
        data={"email": "new@x.test", "role": "buyer"},
    ),
    Row(
        "api-v1:company_api_keys",
        "get",
        lambda w: "/api/v1/account/company/api-keys",
        api(403, admin=200, stranger=200),
    ),
    Row(
        "api-v1:company_api_key_create",
        "post",
        lambda w: "/api/v1/account/company/api-keys",
        api(403, admin=201, stranger=400),
        data=lambda w: {"name": "Purchasing", "user_id": w.users["buyer"].pk, "scopes": ["orders:read"]},
    ),
    Row(
        "api-v1:company_api_key_rotate",
        "post",
        lambda w: f"/api/v1/account/company/api-keys/{_company_key_id(w)}/rotate",
        api(403, admin=201, stranger=404),
        prepare=_company_key,
    ),
    Row(
        "api-v1:company_api_key_revoke",
        "delete",
        lambda w: f"/api/v1/account/company/api-keys/{_company_key_id(w)}",
        api(403, admin=204, stranger=404),
        prepare=_company_key,
    ),
    Row(
        "api-v1:company_invitations",
        "get",
        lambda w: "/api/v1/account/company/invitations",
        api(403, admin=200, stranger=200),
    ),
    # punchout connections: a company admin their own company's, a rep their customers'
    # (fulfilment has no punchout rights); the entry points are in PUBLIC
    Row("punchout:transfer", "post", lambda w: "/punchout/transfer/", page(302)),  # not in punchout mode
    Row(
        "punchout:company", "get", lambda w: "/account/company/punchout/", page(302, admin=200, stranger=200)
    ),
    Row(
        "punchout:rotate",
        "post",
        lambda w: f"/account/company/punchout/{_punchout_credential_id(w)}/rotate/",
        page("refused", admin="done", rep="done", stranger=404),
        done=_punchout_rotated,
        prepare=_punchout_credential,
    ),
    Row(
        "punchout:deactivate",
        "post",
        lambda w: f"/account/company/punchout/{_punchout_credential_id(w)}/deactivate/",
        page("refused", admin="done", rep="done", stranger=404),
        done=_punchout_off,
        prepare=_punchout_credential,
    ),
    Row(
        "api-v1:punchout_credentials",
        "get",
        lambda w: "/api/v1/punchout/credentials",
        api(403, admin=200, stranger=200, rep=200),
    ),
    Row(
        "api-v1:punchout_credential_create",
        "post",
        lambda w: "/api/v1/punchout/credentials",
        api(403, admin=201, stranger=404, rep=201),
        data=lambda w: {
            "name": "SAP",
            "protocol": "oci",
            "identity": "row-sap",
            "buyer_user_id": w.users["buyer"].pk,
            "company_id": w.acme.pk,
        },
    ),
    Row(
        "api-v1:punchout_credential_rotate",
        "post",
        lambda w: f"/api/v1/punchout/credentials/{_punchout_credential_id(w)}/rotate",
        api(403, admin=201, stranger=404, rep=201),
        prepare=_punchout_credential,
    ),
    Row(
        "api-v1:punchout_credential_deactivate",
        "delete",
        lambda w: f"/api/v1/punchout/credentials/{_punchout_credential_id(w)}",
        api(403, admin=204, stranger=404, rep=204),
        prepare=_punchout_credential,
    ),
    Row(
        "api-v1:punchout_sessions",
        "get",
        lambda w: "/api/v1/punchout/sessions",
        api(403, admin=200, stranger=200, rep=200),
    ),
    Row(
        "api-v1:punchout_orders",
        "get",
        lambda w: "/api/v1/punchout/orders",
        api(403, admin=200, stranger=200, rep=200),
    ),
    # catalog feeds: a company admin their own company's; a rep their customers' (the rep
    # must say which company a new feed is for: 400 without one)
    Row("api-v1:feed_list", "get", lambda w: "/api/v1/feeds", api(403, admin=200, stranger=200, rep=200)),
    Row(
        "api-v1:feed_create",
        "post",
        lambda w: "/api/v1/feeds",
        api(403, admin=201, stranger=201, rep=400),
        data={"format": "csv", "language": "en"},
    ),
    Row(
        "api-v1:feed_rotate",
        "post",
        lambda w: f"/api/v1/feeds/{_acme_feed_id(w)}/rotate",
        api(403, admin=200, stranger=404, rep=200),
        prepare=_acme_feed,
    ),
    Row(
        "api-v1:feed_revoke",
        "delete",
        lambda w: f"/api/v1/feeds/{_acme_feed_id(w)}",
        api(403, admin=204, stranger=404, rep=204),
        prepare=_acme_feed,
    ),
    Row(
        "api-v1:company_invitation_revoke",
        "delete",
        lambda w: f"/api/v1/account/company/invitations/{w.invitation.pk}",
        api(403, admin=204, stranger=404),
    ),
    Row(
        "api-v1:company_member_update",
        "patch",
        lambda w: f"/api/v1/account/company/users/{w.users['buyer'].company_user.pk}",
        api(403, admin=200, stranger=404),
        data={"role": "approver", "is_active": True},
    ),
    # --- API: orders and approvals --------------------------------------------------------------
    Row("api-v1:orders", "get", lambda w: "/api/v1/orders", api(200)),
    Row("api-v1:order_changes", "get", lambda w: "/api/v1/orders/changes", api(200)),
    Row(
        "api-v1:order",
        "get",
        lambda w: f"/api/v1/orders/{w.order.number}",
        api(404, fulfilment=200, rep=200, **dict.fromkeys(COMPANY, 200)),
    ),  # the rep: ACME is theirs
    Row(
        "api-v1:order_status",
        "post",
        lambda w: f"/api/v1/orders/{w.order.number}/status",
        api(404, admin=200, buyer=200, approver=403, accountant=403, fulfilment=200, rep=403),
        data={"status": "cancelled"},
    ),
    Row(
        "api-v1:order_reorder_api",
        "post",
        lambda w: f"/api/v1/orders/{w.order.number}/reorder",
        api(404, **dict.fromkeys(COMPANY, 200)),
    ),
    Row("api-v1:approvals_waiting", "get", lambda w: "/api/v1/approvals", api(200)),
    Row(
        "api-v1:order_approve",
        "post",
        lambda w: f"/api/v1/orders/{w.pending.number}/approve",
        api(404, admin=200, approver=200, buyer=403, accountant=403),
    ),
    Row(
        "api-v1:order_reject",
        "post",
        lambda w: f"/api/v1/orders/{w.pending.number}/reject",
        api(404, admin=200, approver=200, buyer=403, accountant=403),
    ),
    Row(
        "api-v1:order_ship",
        "post",
        lambda w: f"/api/v1/orders/{w.order.number}/shipments",
        api(404, fulfilment=201, rep=403, **dict.fromkeys(COMPANY, 403)),
        data={"lines": []},
    ),
    Row(
        "api-v1:order_custom_status",
        "post",
        lambda w: f"/api/v1/orders/{w.order.number}/custom-status",
        api(404, fulfilment=200, rep=403, **dict.fromkeys(COMPANY, 403)),
        data={"code": "packing"},
    ),
    Row("api-v1:approval_rules", "get", lambda w: "/api/v1/approval-rules", api(200)),
    Row(
        "api-v1:approval_rule_add",
        "post",
        lambda w: "/api/v1/approval-rules",
        api(403, admin=201, stranger=201),
        data={"min_total": "777", "role": "approver"},
    ),
    Row(
        "api-v1:approval_rule_delete",
        "delete",
        lambda w: f"/api/v1/approval-rules/{w.rule.pk}",
        api(403, admin=204, stranger=404),
    ),
    Row("api-v1:recurring_orders", "get", lambda w: "/api/v1/recurring-orders", api(200)),
    Row(
        "api-v1:recurring_create",
        "post",
        lambda w: "/api/v1/recurring-orders",
        api(404, admin=201, buyer=201, approver=201, accountant=403),
        data=lambda w: {
            "order_number": w.order.number,
            "every": 1,
            "unit": "week",
            "start": timezone.localdate().isoformat(),
        },
    ),
    Row(
        "api-v1:recurring_order",
        "get",
        lambda w: f"/api/v1/recurring-orders/{w.recurring.pk}",
        api(404, buyer=200),
    ),
    Row(
        "api-v1:recurring_state",
        "post",
        lambda w: f"/api/v1/recurring-orders/{w.recurring.pk}/state",
        api(404, buyer=200),
        data={"state": "paused"},
    ),
    # --- API: shopping lists ------------------------------------------------------------------------
    Row("api-v1:shopping_lists", "get", lambda w: "/api/v1/lists", api(200)),
    Row("api-v1:shopping_list_create", "post", lambda w: "/api/v1/lists", api(200), data={"name": "New"}),
    Row("api-v1:shopping_list", "get", lambda w: f"/api/v1/lists/{w.shopping_list.pk}", api(404, buyer=200)),
    Row(
        "api-v1:shopping_list_delete",
        "delete",
        lambda w: f"/api/v1/lists/{w.shopping_list.pk}",
        api(404, buyer=204),
    ),
    Row(
        "api-v1:shopping_list_add",
        "post",
        lambda w: f"/api/v1/lists/{w.shopping_list.pk}/items",
        api(404, buyer=200),
        data=lambda w: {"items": [{"sku": w.variant.sku, "quantity": 1}]},
    ),
    Row(
        "api-v1:shopping_list_remove",
        "delete",
        lambda w: f"/api/v1/lists/{w.shopping_list.pk}/lines/{w.list_line.pk}",
        api(404, buyer=200),
    ),
    Row(
        "api-v1:shopping_list_to_cart",
        "post",
        lambda w: f"/api/v1/lists/{w.shopping_list.pk}/to-cart",
        api(404, buyer=200),
        data={"line_ids": None},
    ),
    # --- API: checkout -------------------------------------------------------------------------------
    Row(
        "api-v1:checkout",
        "post",
        lambda w: "/api/v1/checkout",  # no delivery address given
        by(400, accountant=403),
        data={"email": "x@x.test", "delivery_method": "courier", "payment_method": "bank_transfer"},
        prepare=lambda client, w: client.post(
            "/api/v1/cart/lines", {"sku": w.variant.sku, "quantity": 1}, content_type="application/json"
        ),
    ),
    # --- the inbox ---------------------------------------------------------------------------
    Row("messaging:inbox", "get", lambda w: "/account/inbox/", page(200)),
    Row(
        "messaging:read_all",
        "post",
        lambda w: "/account/inbox/read-all/",
        page("refused", buyer="done"),
        done=lambda w: Notification.objects.get(pk=w.notification.pk).read_at is not None,
    ),
    Row(
        "messaging:open", "post", lambda w: f"/account/inbox/{w.notification.pk}/open/", page(404, buyer=302)
    ),
    Row("api-v1:inbox", "get", lambda w: "/api/v1/inbox", api(200)),
    Row(
        "api-v1:read_all",
        "post",
        lambda w: "/api/v1/inbox/read-all",
        api("refused", buyer="done"),
        done=lambda w: Notification.objects.get(pk=w.notification.pk).read_at is not None,
    ),
    Row("api-v1:read", "post", lambda w: f"/api/v1/inbox/{w.notification.pk}/read", api(404, buyer=200)),
    # --- the staff order pages (the rep: their customers' orders, read only) --------------------
    # --- the rep's customers and acting for one (ACME is the rep's; fulfilment sees all, acts for none)
    Row("salesrep:home", "get", lambda w: "/rep/", page(403, fulfilment=200, rep=200)),
    Row(
        "salesrep:act",
        "post",
        lambda w: f"/rep/customers/{w.acme.pk}/act/",
        page(403, fulfilment=404, rep="done"),
        done=lambda w: AuditEntry.objects.filter(action="acting.started", on_behalf_of=w.acme).exists(),
    ),
    Row("salesrep:acting_stop", "post", lambda w: "/rep/acting/stop/", page(302)),
    # --- the staff dashboard and the sales reports (the rep: their customers' sales) ------------
    Row("salesrep:dashboard", "get", lambda w: "/rep/dashboard/", page(403, fulfilment=200, rep=200)),
    Row("salesrep:reports", "get", lambda w: "/rep/reports/", page(403, fulfilment=200, rep=200)),
    Row(
        "salesrep:report_file",
        "get",
        lambda w: "/rep/reports/sales.xlsx?group_by=customer",
        page(403, fulfilment=200, rep=200),
    ),
    Row(
        "api-v1:rep_sales_report",
        "get",
        lambda w: "/api/v1/rep/reports/sales?group_by=product",
        api(403, fulfilment=200, rep=200),
    ),
    Row("api-v1:rep_customers", "get", lambda w: "/api/v1/rep/customers", api(403, fulfilment=200, rep=200)),
    Row(
        "api-v1:rep_order",
        "post",
        lambda w: "/api/v1/rep/orders",
        api(403, fulfilment=404, rep=201),
        data=lambda w: {
            "company_id": w.acme.pk,
            "lines": [{"sku": w.variant.sku, "quantity": 1}],
            "delivery_method": "courier",
            "address_id": w.address.pk,
            "payment_method": "on_account",
        },
    ),
    Row("salesrep:orders", "get", lambda w: "/rep/orders/", page(403, fulfilment=200, rep=200)),
    Row("salesrep:export", "get", lambda w: "/rep/orders/export.csv", page(403, fulfilment=200, rep=200)),
    Row(
        "salesrep:order",
        "get",
        lambda w: f"/rep/orders/{w.order.number}/",
        page(403, fulfilment=200, rep=200),
    ),
    Row(
        "salesrep:order",
        "get",
        lambda w: f"/rep/orders/{w.retail_order.number}/",
        page(403, fulfilment=200, rep=404),
    ),
    Row(
        "salesrep:status",
        "post",
        lambda w: f"/rep/orders/{w.order.number}/status/",
        page(403, fulfilment="done", rep="refused"),
        data={"status": "confirmed"},
        done=lambda w: w.status(w.order) == OrderStatus.CONFIRMED,
    ),
    Row(
        "salesrep:custom_status",
        "post",
        lambda w: f"/rep/orders/{w.order.number}/custom-status/",
        page(403, fulfilment="done", rep="refused"),
        data={"code": "packing"},
        done=lambda w: Order.objects.get(pk=w.order.pk).custom_status_id == w.custom_status.pk,
    ),
    Row(
        "salesrep:ship",
        "post",
        lambda w: f"/rep/orders/{w.order.number}/ship/",
        page(403, fulfilment="done", rep="refused"),
        data=lambda w: {f"ship-{w.order.lines.get().pk}": "1", "carrier": "DHL"},
        done=lambda w: w.order.shipments.exists(),
    ),
    Row(
        "salesrep:cancel",
        "post",
        lambda w: f"/rep/orders/{w.order.number}/cancel/",
        page(403, fulfilment="done", rep="refused"),
        data={"reason": "asked"},
        done=lambda w: w.status(w.order) == OrderStatus.CANCELLED,
    ),
    # --- offers for a reseller's own clients (ACME and the stranger's company are resellers;
    # accountants may not; another reseller's offer is a 404) ---------------------------------
    Row("resale:list", "get", lambda w: "/account/resale-offers/", page(403, **resellers(200))),
    Row("resale:new", "get", lambda w: "/account/resale-offers/new/", page(403, **resellers(200))),
    Row(
        "resale:new",
        "post",
        lambda w: "/account/resale-offers/new/",
        page("refused", **resellers("done")),
        data=lambda w: {
            "client_name": "Row client",
            "sku": [w.variant.sku],
            "quantity": ["2"],
            "line_markup": [""],
        },
        done=lambda w: ResellerOffer.objects.filter(client_name="Row client").exists(),
    ),
    Row(
        "resale:edit",
        "get",
        lambda w: f"/account/resale-offers/{w.resale_offer.pk}/",
        page(403, **resellers(200, stranger=404)),
    ),
    Row(
        "resale:edit",
        "post",
        lambda w: f"/account/resale-offers/{w.resale_offer.pk}/",
        page("refused", **resellers("done", stranger=404)),
        data={"client_name": "Changed", "markup_percent": "5"},
        done=lambda w: ResellerOffer.objects.get(pk=w.resale_offer.pk).client_name == "Changed",
    ),
    Row(
        "resale:finalize",
        "post",
        lambda w: f"/account/resale-offers/{w.resale_offer.pk}/finalize/",
        page("refused", **resellers("done", stranger=404)),
        done=lambda w: ResellerOffer.objects.get(pk=w.resale_offer.pk).status == "final",
    ),
    Row(
        "resale:delete",
        "post",
        lambda w: f"/account/resale-offers/{w.resale_offer.pk}/delete/",
        page("refused", **resellers("done", stranger=404)),
        done=lambda w: not ResellerOffer.objects.filter(pk=w.resale_offer.pk).exists(),
    ),
    Row(
        "resale:pdf",
        "get",
        lambda w: f"/account/resale-offers/{w.resale_offer.pk}.pdf",
        page(403, **resellers(200, stranger=404)),
    ),
    Row(
        "resale:logo",
        "post",
        lambda w: "/account/company/logo/",
        page("refused", admin="done", stranger="done"),  # a reseller's admin, for their own company
        data=lambda w: {"logo": SimpleUploadedFile("logo.png", tiny_png(), content_type="image/png")},
        done=lambda w: Company.objects.filter(logo__gt="").exists(),
    ),
    Row("api-v1:resale_offers", "get", lambda w: "/api/v1/resale-offers", api(403, **resellers(200))),
    Row(
        "api-v1:resale_offer_create",
        "post",
        lambda w: "/api/v1/resale-offers",
        api(403, **resellers(201)),
        data=lambda w: {"client_name": "Row client", "lines": [{"sku": w.variant.sku, "quantity": 2}]},
    ),
    Row(
        "api-v1:resale_offer",
        "get",
        lambda w: f"/api/v1/resale-offers/{w.resale_offer.pk}",
        api(403, **resellers(200, stranger=404)),
    ),
    Row(
        "api-v1:resale_offer_update",
        "put",
        lambda w: f"/api/v1/resale-offers/{w.resale_offer.pk}",
        api(403, **resellers(200, stranger=404)),
        data={"client_name": "Changed"},
    ),
    Row(
        "api-v1:resale_offer_delete",
        "delete",
        lambda w: f"/api/v1/resale-offers/{w.resale_offer.pk}",
        api(403, **resellers(204, stranger=404)),
    ),
    Row(
        "api-v1:resale_offer_finalize",
        "post",
        lambda w: f"/api/v1/resale-offers/{w.resale_offer.pk}/finalize",
        api(403, **resellers(200, stranger=404)),
    ),
    Row(
        "api-v1:resale_offer_pdf",
        "get",
        lambda w: f"/api/v1/resale-offers/{w.resale_offer.pk}.pdf",
        api(403, **resellers(200, stranger=404)),
    ),
]


# --- threads with the sales rep: a company's users write to its rep; the rep and staff who see
# every order (fulfilment here) use the rep panel; the client panel sends staff there ----------


def _with_thread(client, w: World) -> None:
    """A thread about the ACME order, started by its buyer (rolled back with the request)."""
    buyer = w.users["buyer"]
    w.thread = thread_start(
        user=buyer, context=user_context(buyer), subject="Delivery", text="When?", order=w.order
    )


def _reply_written(w: World) -> bool:
    return Message.objects.filter(text="More").exists()


ROWS += [
    Row("messaging:threads", "get", lambda w: "/account/messages/", page(200, fulfilment=302, rep=302)),
    # Other's admin: their company has no sales rep; retail customers have no company.
    Row(
        "messaging:threads",
        "post",
        lambda w: "/account/messages/",
        page("refused", **dict.fromkeys(COMPANY, "done")),
        data={"subject": "Hi", "text": "Hello"},
        done=lambda w: Thread.objects.filter(subject="Hi").exists(),
    ),
    Row(
        "messaging:threads",
        "post",
        lambda w: "/account/messages/",
        page(404, fulfilment="refused", rep="refused", **dict.fromkeys(COMPANY, "done")),
        data=lambda w: {"order": w.order.number, "text": "About the order"},
        done=lambda w: Thread.objects.filter(order=w.order).exists(),
    ),
    Row(
        "messaging:thread",
        "get",
        lambda w: f"/account/messages/{w.thread.pk}/",
        page(404, fulfilment=302, rep=302, **dict.fromkeys(COMPANY, 200)),
        prepare=_with_thread,
    ),
    Row(
        "messaging:thread",
        "post",
        lambda w: f"/account/messages/{w.thread.pk}/",
        page(404, fulfilment="refused", rep="refused", **dict.fromkeys(COMPANY, "done")),
        data={"text": "More"},
        done=_reply_written,
        prepare=_with_thread,
    ),
    Row("messaging:rep_threads", "get", lambda w: "/rep/messages/", page(403, fulfilment=200, rep=200)),
    Row(
        "messaging:rep_threads",
        "post",
        lambda w: "/rep/messages/",
        page(403, fulfilment="done", rep="done"),
        data=lambda w: {"company": w.acme.pk, "subject": "Offer", "text": "New prices"},
        done=lambda w: Thread.objects.filter(subject="Offer").exists(),
    ),
    Row(
        "messaging:rep_thread",
        "get",
        lambda w: f"/rep/messages/{w.thread.pk}/",
        page(403, fulfilment=200, rep=200),
        prepare=_with_thread,
    ),
    Row(
        "messaging:rep_thread",
        "post",
        lambda w: f"/rep/messages/{w.thread.pk}/",
        page(403, fulfilment="done", rep="done"),
        data={"text": "More"},
        done=_reply_written,
        prepare=_with_thread,
    ),
    Row("api-v1:message_threads", "get", lambda w: "/api/v1/messages/threads", api(200)),
    Row(
        "api-v1:message_thread_start",
        "post",
        lambda w: "/api/v1/messages/threads",
        api(404, fulfilment=201, rep=201, **dict.fromkeys(COMPANY, 201)),
        data=lambda w: {"text": "About the order", "order_number": w.order.number},
    ),
    Row(
        "api-v1:message_thread",
        "get",
        lambda w: f"/api/v1/messages/threads/{w.thread.pk}",
        api(404, fulfilment=200, rep=200, **dict.fromkeys(COMPANY, 200)),
        prepare=_with_thread,
    ),
    Row(
        "api-v1:message_reply",
        "post",
        lambda w: f"/api/v1/messages/threads/{w.thread.pk}/messages",
        api(404, fulfilment=201, rep=201, **dict.fromkeys(COMPANY, 201)),
        data={"text": "More"},
        prepare=_with_thread,
    ),
    # --- quotes: the client panel (a company's users), the rep panel (the company's rep) -------
    Row("quotes:list", "get", lambda w: "/account/quotes/", page(200)),
    Row("quotes:new", "get", lambda w: "/account/quotes/new/", page(200)),
    Row(
        "quotes:new",
        "post",
        lambda w: "/account/quotes/new/",
        page("refused", admin="done", buyer="done", approver="done", stranger="done"),
        data={"message": "Matrix request", "lines": ""},
        done=lambda w: Quote.objects.filter(message="Matrix request").exists(),
    ),
    Row(
        "quotes:from_cart",
        "post",
        lambda w: "/cart/request-quote/",
        page("refused", admin="done", buyer="done", approver="done", stranger="done"),
        data={"message": "From the cart"},
        prepare=_fill_cart,
        done=lambda w: Quote.objects.filter(message="From the cart").exists(),
    ),
    Row(
        "quotes:detail",
        "get",
        lambda w: f"/account/quotes/{w.quote.pk}/",
        page(404, **dict.fromkeys(COMPANY, 200)),
    ),
    Row(
        "quotes:comment",
        "post",
        lambda w: f"/account/quotes/{w.quote.pk}/comment/",
        page(404, **dict.fromkeys(COMPANY, "done")),
        data={"text": "Matrix comment"},
        done=lambda w: QuoteEvent.objects.filter(message="Matrix comment").exists(),
    ),
    Row(
        "quotes:decline",
        "post",
        lambda w: f"/account/quotes/{w.quote.pk}/decline/",
        page(404, admin="done", buyer="done", approver="done", accountant="refused"),
        done=lambda w: Quote.objects.get(pk=w.quote.pk).status == QuoteStatus.DECLINED,
    ),
    Row(
        "quotes:accept",
        "post",
        lambda w: f"/account/quotes/{w.quote.pk}/offers/1/accept/",
        page(404, admin="done", buyer="done", approver="done", accountant="refused"),
        data=lambda w: {
            "address_id": w.address.pk,
            "delivery_method": "courier",
            "payment_method": "on_account",
        },
        done=lambda w: Quote.objects.get(pk=w.quote.pk).status == QuoteStatus.ACCEPTED,
    ),
    Row(
        "quotes:pdf",
        "get",
        lambda w: f"/account/quotes/{w.quote.pk}/offers/1.pdf",
        page(404, **dict.fromkeys(COMPANY, 200)),
    ),
    Row(
        "quotes:attachment",
        "get",
        lambda w: f"/account/quotes/{w.quote.pk}/files/{w.attachment.pk}/",
        page(404, **dict.fromkeys(COMPANY, 200)),
        prepare=_attach,
    ),
    Row("quotes:rep_list", "get", lambda w: "/rep/quotes/", page(403, rep=200)),
    Row("quotes:rep_detail", "get", lambda w: f"/rep/quotes/{w.quote.pk}/", page(403, rep=200)),
    Row(
        "quotes:rep_draft",
        "post",
        lambda w: f"/rep/quotes/{w.quote.pk}/draft/",
        page(403, rep="done"),
        data=lambda w: {
            "sku": [w.variant.sku],
            "quantity": ["40"],
            "unit_price": [""],
            "discount_percent": [""],
            "action": "save",
        },
        done=lambda w: w.quote.offers.filter(status=OfferStatus.DRAFT).exists(),
    ),
    Row(
        "quotes:rep_comment",
        "post",
        lambda w: f"/rep/quotes/{w.quote.pk}/comment/",
        page(403, rep="done"),
        data={"text": "Rep matrix"},
        done=lambda w: QuoteEvent.objects.filter(message="Rep matrix").exists(),
    ),
    Row("quotes:rep_pdf", "get", lambda w: f"/rep/quotes/{w.quote.pk}/offers/1.pdf", page(403, rep=200)),
    Row(
        "quotes:rep_attachment",
        "get",
        lambda w: f"/rep/quotes/{w.quote.pk}/files/{w.attachment.pk}/",
        page(403, rep=200),
        prepare=_attach,
    ),
    Row("api-v1:quotes", "get", lambda w: "/api/v1/quotes", api(200)),
    Row(
        "api-v1:quote_create",
        "post",
        lambda w: "/api/v1/quotes",
        api(400, admin=201, buyer=201, approver=201, stranger=201, accountant=403),
        data={"message": "API"},
    ),
    Row(
        "api-v1:quote_from_cart",
        "post",
        lambda w: "/api/v1/quotes/from-cart",
        api(400, admin=201, buyer=201, approver=201, stranger=201, accountant=403),
        prepare=_fill_cart,
    ),
    Row(
        "api-v1:quote",
        "get",
        lambda w: f"/api/v1/quotes/{w.quote.pk}",
        api(404, rep=200, **dict.fromkeys(COMPANY, 200)),
    ),
    Row(
        "api-v1:quote_comment",
        "post",
        lambda w: f"/api/v1/quotes/{w.quote.pk}/comments",
        api(404, rep=201, **dict.fromkeys(COMPANY, 201)),
        data={"text": "API comment"},
    ),
    Row(
        "api-v1:offer_accept",
        "post",
        lambda w: f"/api/v1/quotes/{w.quote.pk}/offers/1/accept",
        api(404, admin=201, buyer=201, approver=201, accountant=403),
        data=lambda w: {"address_id": w.address.pk},
    ),
    Row(
        "api-v1:quote_decline",
        "post",
        lambda w: f"/api/v1/quotes/{w.quote.pk}/decline",
        api(404, admin=200, buyer=200, approver=200, accountant=403),
    ),
    Row(
        "api-v1:offer_pdf",
        "get",
        lambda w: f"/api/v1/quotes/{w.quote.pk}/offers/1.pdf",
        api(404, rep=200, **dict.fromkeys(COMPANY, 200)),
    ),
    Row(
        "api-v1:offer_draft",
        "put",
        lambda w: f"/api/v1/quotes/{w.quote.pk}/draft",
        api(404, rep=200),
        data=lambda w: {"lines": [{"sku": w.variant.sku, "quantity": 40}]},
    ),
    # --- billing documents (client panel and API) -------------------------------------------
    Row("billing:documents", "get", lambda w: "/account/documents/", page(200), prepare=_invoiced),
    Row("billing:invoice_export", "get", lambda w: "/account/documents/invoices.csv", page(200)),
    Row(
        "billing:invoice_download",
        "get",
        lambda w: f"/account/documents/invoices/{w.invoice.pk}.pdf",
        page(404, **dict.fromkeys(COMPANY, 200)),
        prepare=_invoiced,
    ),
    Row(
        "billing:dispatch_note",
        "get",
        lambda w: f"/account/documents/dispatch-notes/{w.shipment.pk}.pdf",
        page(404, **dict.fromkeys(COMPANY, 200)),
        prepare=_invoiced,
    ),
    Row(
        "billing:statement",
        "get",
        lambda w: "/account/documents/statement.pdf",
        page(403, admin=200, accountant=200, stranger=200),
        prepare=_invoiced,
    ),
    Row("api-v1:invoices_list", "get", lambda w: "/api/v1/invoices", api(200), prepare=_invoiced),
    Row(
        "api-v1:orders_acknowledge_api",
        "post",
        lambda w: "/api/v1/orders/acknowledgements",
        api(403, fulfilment=200),
        data={"numbers": ["NO-SUCH"]},
    ),
    Row("api-v1:payments_changes", "get", lambda w: "/api/v1/payments/changes", api(403, rep=200)),
    Row("api-v1:invoices_changes", "get", lambda w: "/api/v1/invoices/changes", api(200), prepare=_invoiced),
    Row("api-v1:invoices_export", "get", lambda w: "/api/v1/invoices/export.xlsx", api(200)),
    Row(
        "api-v1:invoice_detail",
        "get",
        lambda w: f"/api/v1/invoices/{w.invoice.pk}",
        api(404, rep=200, **dict.fromkeys(COMPANY, 200)),
        prepare=_invoiced,
    ),
    Row(
        "api-v1:invoice_pdf_download",
        "get",
        lambda w: f"/api/v1/invoices/{w.invoice.pk}.pdf",
        api(404, rep=200, **dict.fromkeys(COMPANY, 200)),
        prepare=_invoiced,
    ),
    Row(
        "api-v1:invoice_ubl_download",
        "get",
        lambda w: f"/api/v1/invoices/{w.invoice.pk}.ubl.xml",
        api(404, rep=200, **dict.fromkeys(COMPANY, 200)),
        prepare=_invoiced,
    ),
    Row(
        "api-v1:invoice_fa3_download",
        "get",
        lambda w: f"/api/v1/invoices/{w.invoice.pk}.fa3.xml",
        api(404, rep=200, **dict.fromkeys(COMPANY, 200)),
        prepare=_invoiced,
    ),
    Row(
        "api-v1:order_invoice_issue",
        "post",
        lambda w: f"/api/v1/orders/{w.order.number}/invoice",
        api(403),
        done=lambda w: Invoice.objects.filter(order=w.order).exists(),
    ),
    Row(
        "api-v1:invoice_credit_note_issue",
        "post",
        lambda w: f"/api/v1/invoices/{w.invoice.pk}/credit-notes",
        api(403),
        prepare=_invoiced,
        data=lambda w: {
            "reason": "Matrix",
            "lines": [{"line_id": w.invoice.lines.first().pk, "quantity": 0}],
        },
    ),
    Row("api-v1:dispatch_notes_list", "get", lambda w: "/api/v1/dispatch-notes", api(200), prepare=_invoiced),
    Row(
        "api-v1:dispatch_note_pdf_download",
        "get",
        lambda w: f"/api/v1/dispatch-notes/{w.shipment.pk}.pdf",
        api(404, rep=200, fulfilment=200, **dict.fromkeys(COMPANY, 200)),
        prepare=_invoiced,
    ),
    Row(
        "api-v1:account_balance",
        "get",
        lambda w: "/api/v1/account/balance",
        api(403, admin=200, approver=200, accountant=200, stranger=200),
    ),
    Row(
        "api-v1:account_ledger",
        "get",
        lambda w: "/api/v1/account/ledger",
        api(403, admin=200, accountant=200, stranger=200),
        prepare=_invoiced,
    ),
    Row(
        "api-v1:account_statement_pdf",
        "get",
        lambda w: "/api/v1/account/statement.pdf",
        api(403, admin=200, accountant=200, stranger=200),
        prepare=_invoiced,
    ),
]

# --- receivables: payments are booked by finance only (no role here); a company's ledger and
# balance are read by its own users and its rep (staff without billing access: 403) ------------
# as in the client panel: the ledger for the company's admin and accountant, the balance also for approvers
LEDGER_READERS = dict(fulfilment=403, rep=200, admin=200, accountant=200, buyer=403, approver=403)
BALANCE_READERS = dict(LEDGER_READERS, approver=200)
ROWS += [
    Row(
        "api-v1:payment_create",
        "post",
        lambda w: "/api/v1/payments",
        api(403),
        data=lambda w: {
            "company_id": w.acme.pk,
            "amount": "10.00",
            "currency": "PLN",
            "received_on": timezone.localdate().isoformat(),
        },
    ),
    Row("api-v1:payments_import", "post", lambda w: "/api/v1/payments/import", api(403)),
    Row(
        "api-v1:payment_allocations_add",
        "post",
        lambda w: "/api/v1/payments/1/allocations",
        api(403),
        data={"allocations": []},
    ),
    Row(
        "api-v1:company_ledger",
        "get",
        lambda w: f"/api/v1/companies/{w.acme.pk}/ledger",
        api(404, **LEDGER_READERS),
    ),
    Row(
        "api-v1:company_balance",
        "get",
        lambda w: f"/api/v1/companies/{w.acme.pk}/balance",
        api(404, **BALANCE_READERS),
    ),
    Row("api-v1:receivables_ageing_report", "get", lambda w: "/api/v1/receivables/ageing", api(403, rep=200)),
]

# Open to everyone (the catalogue, the cart, the log-in pages, signed links and
# notifications): each must answer every role without a server error or a refusal.
PUBLIC = {
    "storefront:home": "/",
    "storefront:category": None,
    "storefront:search": "/search/?q=drill",
    "storefront:product": None,
    "storefront:preferences": None,
    "storefront:b2b": "/b2b/",
    "storefront:login": "/accounts/login/",
    "storefront:logout": None,
    "storefront:register": "/accounts/register/",
    "storefront:password_reset": "/accounts/password-reset/",
    "storefront:password_reset_done": None,
    "storefront:register_confirm": None,
    "storefront:password_reset_confirm": None,
    "storefront:password_reset_complete": None,
    "storefront:invitation": None,
    "cart:detail": "/cart/",
    "cart:add": None,
    "cart:update": None,
    "cart:coupon": None,
    "cart:quick_order": "/quick-order/",
    "checkout:checkout": "/checkout/",
    "checkout:summary": "/checkout/summary/",
    "checkout:order_done": None,
    "checkout:pay_again": None,
    "checkout:test_gateway": None,
    "set_language": None,
    "healthz": "/healthz",
    "storefront:favicon": None,  # a redirect to the static icon (tests/storefront)
    "service:faq": "/faq/",
    "api-v1:faq": "/api/v1/faq",
    # articles and pages: product blocks follow each reader's assortment (tests/content)
    "content:articles": "/articles/",
    "content:article": None,
    "content:page": None,
    "content:sitemap": "/sitemap.xml",
    "content:sitemap_section": "/sitemap-products.xml",
    "content:robots": "/robots.txt",
    "api-v1:articles": "/api/v1/articles",
    "api-v1:article": None,
    "api-v1:content_page": None,
    "service:compare": "/compare/",
    "service:recommendations_home": "/recommendations/home/",
    "service:recommendations_cart": "/recommendations/cart/",
    "service:recommendations_product": None,  # a product's id: tests/service/test_recommendations.py
    "api-v1:recommendation_list": "/api/v1/recommendations?kind=for_you",
    "api-v1:compare": "/api/v1/compare?products=1,2",  # the caller's own view (tests/service)
    "metrics": None,  # a token or an allowed address, else 404 (tests/core/test_operations.py)
    "readyz": None,  # public, 503 until the worker and scheduler beat (tests/core/test_operations.py)
    "api-v1:openapi-json": "/api/v1/openapi.json",
    "api-v1:openapi-view": None,
    "api-v1:api-root": None,
    "api-v1:categories": "/api/v1/catalog/categories",
    "api-v1:products": "/api/v1/catalog/products",
    "api-v1:product": None,
    "api-v1:stock": "/api/v1/catalog/stock?sku=NOPE",
    "api-v1:prices": "/api/v1/catalog/prices?sku=NOPE&quantity=1",
    "api-v1:price_list": "/api/v1/catalog/price-list.csv",
    "api-v1:stock_lookup": None,  # POST, the caller's own view like GET (tests/api)
    "api-v1:prices_lookup": None,
    "api-v1:variant": None,
    "api-v1:cart_get": "/api/v1/cart",
    "api-v1:cart_line_add": None,
    "api-v1:cart_line_update": None,
    "api-v1:cart_line_remove": None,
    "api-v1:cart_coupon_set": None,
    "api-v1:cart_coupon_remove": None,
    "api-v1:quick_order": None,
    "api-v1:quick_order_file": None,
    "api-v1:checkout_options": "/api/v1/checkout/options",
    "api-v1:payment_notify": None,
    "feeds:download": None,  # the secret token is the key: tests/feeds/test_download.py
    # punchout entry points: a procurement system authenticates with the connection's secret
    # (tests/punchout/test_oci.py, test_cxml.py); the start link is a one-time token
    "punchout:oci": None,
    "punchout:cxml": None,
    "punchout:start": None,
}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module, removed at its end (each request is rolled back)."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = World()
        yield built
        transaction.set_rollback(True)


class Rollback(Exception):
    pass


def outcome(client, world: World, row: Row, role: str):
    caches["default"].clear()
    caches["local"].clear()
    client.logout()
    if world.users[role] is not None:
        client.force_login(world.users[role])
    if row.prepare is not None:
        row.prepare(client, world)
    data = row.data(world) if callable(row.data) else row.data
    call = getattr(client, row.method)
    if row.method == "get":
        response = call(row.path(world))
    elif row.route.startswith("api-v1:"):
        response = call(row.path(world), data, content_type="application/json")
    else:
        response = call(row.path(world), data)
    expected = row.expect[role]
    if expected in ("done", "refused"):
        return (
            "done"
            if response.status_code < 400 and row.done(world)
            else (
                "refused"
                if response.status_code in (200, 302, 400, 403, 409) and not row.done(world)
                else response.status_code
            )
        )
    if expected == LOGIN:
        return (
            LOGIN
            if response.status_code == 302 and "/accounts/login/" in response["Location"]
            else response.status_code
        )
    return response.status_code


@pytest.mark.django_db
@pytest.mark.parametrize("row", ROWS, ids=[row.id + f" #{index}" for index, row in enumerate(ROWS)])
def test_each_role_gets_what_the_matrix_says(client, world, row):
    got = {}
    for role in ROLES:
        try:
            with transaction.atomic():
                got[role] = outcome(client, world, row, role)
                raise Rollback
        except Rollback:
            pass
    assert got == row.expect


@pytest.mark.django_db
@pytest.mark.parametrize("route", sorted(name for name, path in PUBLIC.items() if path))
def test_public_pages_answer_everyone(client, world, route):
    for role in ROLES:
        client.logout()
        if world.users[role] is not None:
            client.force_login(world.users[role])
        response = client.get(PUBLIC[route])
        assert response.status_code < 400 or response.status_code == 404 and route == "api-v1:api-root", (
            role,
            response.status_code,
        )


def _route_names() -> set[str]:
    names = set()

    def walk(patterns, namespace: str):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                if pattern.namespace != "admin":
                    walk(pattern.url_patterns, pattern.namespace or namespace)
            elif pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, "")
    return names


def test_every_page_and_endpoint_has_a_row_or_is_public():
    """A new URL must be added to the matrix (or to PUBLIC) with who may use it."""
    covered = {row.route for row in ROWS} | set(PUBLIC)
    assert sorted(_route_names() - covered) == []
    assert sorted(covered - _route_names()) == []


API_READS = [row for row in ROWS if row.route.startswith("api-v1:") and row.method == "get"] + [
    # the public catalog, where the caller decides the prices and the assortment
    Row(f"api-v1:{name}", "get", path, {})
    for name, path in (
        ("products", lambda w: "/api/v1/catalog/products?sort=name"),
        ("product", lambda w: f"/api/v1/catalog/products/{w.variant.product.slug}"),
        ("variant", lambda w: f"/api/v1/catalog/variants/{w.variant.sku}"),
        ("prices", lambda w: f"/api/v1/catalog/prices?sku={w.variant.sku}&quantity=3"),
        ("stock", lambda w: f"/api/v1/catalog/stock?sku={w.variant.sku}"),
        ("price_list", lambda w: "/api/v1/catalog/price-list.csv"),
        ("categories", lambda w: "/api/v1/catalog/categories"),
        ("compare", lambda w: f"/api/v1/compare?products={w.variant.product_id}"),
    )
]


def _read_both_ways(client, world: World, row: Row, user, key: str) -> tuple:
    """The row's read by the user's session and by their token: (status, body) of each."""
    caches["default"].clear()
    client.logout()
    client.force_login(user)
    if row.prepare is not None:
        row.prepare(client, world)
    path = row.path(world)
    by_session = client.get(path)
    client.logout()
    caches["default"].clear()
    by_token = client.get(path, HTTP_AUTHORIZATION=f"Bearer {key}")
    return _comparable(row, by_session), _comparable(row, by_token)


# Reads whose body is not the same twice whatever the caller: reading a thread marks it read;
# the company's key list shows when each key was last used (the reading key among them).
READS_THAT_CHANGE = {"api-v1:message_thread", "api-v1:company_api_keys"}


def _comparable(row: Row, response) -> tuple:
    """Status and body; for files (PDF and XLSX with their creation time, ZIP with the
    export time) and reads that change what they read, the status and the kind of content."""
    kind = response.get("Content-Type", "")
    files = ("application/pdf", "application/zip", "application/vnd.openxmlformats")
    if row.route in READS_THAT_CHANGE or kind.startswith(files):
        return response.status_code, kind
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if kind == "application/problem+json":  # each answer has its own request id
        return response.status_code, {k: v for k, v in response.json().items() if k != "request_id"}
    return response.status_code, body


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["buyer", "admin", "retail", "rep"])
def test_a_token_gets_exactly_what_the_session_gets_on_every_read(client, world, role):
    """An integration's bearer token acts as its user: every API read answers the token as
    it answers the user's browser session (prices, assortment, documents, refusals)."""
    from tandem.customers.api_auth import api_token_create

    user = world.users[role]
    differences = []
    try:
        with transaction.atomic():
            _token, key = api_token_create(user=user, name="parity")
            for row in API_READS:
                try:
                    with transaction.atomic():
                        session, token = _read_both_ways(client, world, row, user, key)
                        if session != token:
                            differences.append((row.route, session[0], token[0]))
                        raise Rollback
                except Rollback:
                    pass
            raise Rollback
    except Rollback:
        pass
    assert differences == []
