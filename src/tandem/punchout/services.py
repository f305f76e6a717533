"""Punchout use cases: a procurement system signs in, its user shops in a session of their own,
the cart goes back priced for the company, and purchase orders come in as Tandem orders.

Everything a company buys through punchout goes through the same services as its own shop:
the catalog's visibility, the company's prices (``cart.selectors.priced_cart``) and
``checkout.services.order_place`` (credit limit, stock, approvals)."""

import hmac
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.cart.selectors import priced_cart
from tandem.cart.services import cart_add, cart_get
from tandem.checkout.selectors import delivery_options
from tandem.checkout.services import CheckoutDetails, order_place, payment_methods_for
from tandem.core.context import CustomerContext
from tandem.core.errors import DomainError
from tandem.core.tokens import token_digest
from tandem.customers.models import Address, AddressKind, Company
from tandem.customers.selectors import company_context_for
from tandem.punchout import cxml, oci
from tandem.punchout.errors import CredentialRefused, MessageInvalid, PunchoutError, StartLinkInvalid
from tandem.punchout.models import (
    OrderStatus,
    Protocol,
    PunchoutCredential,
    PunchoutOrder,
    PunchoutSession,
    SessionStatus,
)
from tandem.punchout.units import cxml_unit, oci_unit

START_LINK_MINUTES = 5
_HOST = re.compile(r"^[A-Za-z0-9.\-]+(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$")


def secret_new() -> str:
    return secrets.token_urlsafe(24)


# --- signing in -------------------------------------------------------------------------


def credential_authenticate(
    *, protocol: str, identities: list[cxml.Identity], secret: str
) -> PunchoutCredential:
    """The active credential with one of these identities and this secret, of an active
    company and buyer; CredentialRefused otherwise (the same answer whatever was wrong)."""
    wanted = token_digest(secret or "")
    candidates = PunchoutCredential.objects.select_related("company", "buyer__user").filter(
        protocol=protocol,
        is_active=True,
        company__is_active=True,
        buyer__is_active=True,
        buyer__user__is_active=True,
        identity__in=[identity.identity for identity in identities][:10],
    )
    for credential in candidates:
        named = any(
            identity.identity == credential.identity
            and (protocol == Protocol.OCI or identity.domain.lower() == credential.domain.lower())
            for identity in identities
        )
        own_buyer = credential.buyer.company_id == credential.company_id
        if named and own_buyer and hmac.compare_digest(credential.secret_hash, wanted):
            PunchoutCredential.objects.filter(pk=credential.pk).update(last_used_at=timezone.now())
            return credential
    raise CredentialRefused()


def return_url_checked(url: str) -> str:
    """An absolute http(s) address without user name or password, short enough to keep."""
    parts = urlsplit(url)
    if (
        len(url) > 2000
        or parts.scheme not in ("http", "https")
        or not parts.netloc
        or not _HOST.match(parts.netloc)
    ):
        raise PunchoutError(
            _("The return address must be an http or https URL (HOOK_URL, BrowserFormPost)."),
            code="return_url_invalid",
        )
    return url


def form_origin(url: str) -> str:
    """Where the returning form posts (``scheme://host[:port]``), for the page's CSP."""
    parts = urlsplit(return_url_checked(url))
    return f"{parts.scheme}://{parts.netloc}"


def punchout_session_start(
    *,
    credential: PunchoutCredential,
    return_url: str,
    buyer_cookie: str = "",
    operation: str = "create",
    language: str = "",
    remote_address: str | None = None,
) -> tuple[PunchoutSession, str]:
    """A session with a new empty cart. OCI: open at once (the browser is already here).
    cXML: waiting for the browser, which opens it with the one-time start token returned
    (valid ``START_LINK_MINUTES``)."""
    return_url = return_url_checked(return_url)
    token = secrets.token_urlsafe(32) if credential.protocol == Protocol.CXML else ""
    with transaction.atomic():
        cart = cart_get(user_id=None, token=None, create=True)
        session = PunchoutSession.objects.create(
            credential=credential,
            protocol=credential.protocol,
            operation=operation[:16],
            buyer_cookie=buyer_cookie,
            return_url=return_url,
            language=language[:8],
            cart=cart,
            start_token_hash=token_digest(token) if token else "",
            start_expires_at=timezone.now() + timedelta(minutes=START_LINK_MINUTES) if token else None,
            status=SessionStatus.WAITING if token else SessionStatus.OPEN,
            remote_address=remote_address or None,
        )
    return session, token


def punchout_session_claim(*, token: str) -> PunchoutSession:
    """Open the waiting cXML session of a start token, once; StartLinkInvalid for a token
    used already, expired or unknown."""
    session = (
        PunchoutSession.objects.select_related("credential__buyer__user", "cart")
        .filter(start_token_hash=token_digest(token), status=SessionStatus.WAITING)
        .first()
        if token
        else None
    )
    if session is None or session.start_expires_at is None or session.start_expires_at <= timezone.now():
        raise StartLinkInvalid()
    claimed = PunchoutSession.objects.filter(pk=session.pk, status=SessionStatus.WAITING).update(
        status=SessionStatus.OPEN, start_token_hash=""
    )
    if not claimed:  # another browser was quicker with the same link
        raise StartLinkInvalid()
    session.status = SessionStatus.OPEN
    return session


# --- the cart goes back -----------------------------------------------------------------


@dataclass(frozen=True)
class Transfer:
    """What the browser posts to the procurement system: form fields to ``return_url``."""

    return_url: str
    fields: list[tuple[str, str]]
    system: str


def _company_context(credential: PunchoutCredential, language: str) -> CustomerContext:
    return company_context_for(
        credential.company, user_id=credential.buyer.user_id, language=language or credential.company.language
    )


def punchout_transfer(*, session: PunchoutSession, language: str) -> Transfer:
    """Price the session's cart for the company and close the session: OCI fields, or the
    cXML PunchOutOrderMessage in ``cxml-urlencoded``. PunchoutError for an empty cart or
    one with lines that cannot be ordered."""
    credential = session.credential
    context = _company_context(credential, language)
    priced = priced_cart(context, session.cart) if session.cart is not None else None
    if priced is None or not priced.lines:
        raise PunchoutError(_("Your cart is empty."), code="cart_empty")
    if priced.problems:
        raise PunchoutError(_("Fix the marked lines before transferring the cart."), code="cart_has_problems")
    lines = [(line, line.sure_price) for line in priced.lines]
    if session.protocol == Protocol.OCI:
        fields = oci.oci_fields(
            [
                oci.OciItem(
                    sku=line.variant.sku,
                    description=_description(line),
                    long_text=_plain(line.variant.product.tr("description")) or _description(line),
                    quantity=line.quantity,
                    unit=oci_unit(line.variant.unit),
                    unit_price=price.unit_net,
                    currency=price.currency,
                    category=line.variant.product.category.slug,
                    gtin=line.variant.gtin,
                )
                for line, price in lines
            ],
            vendor=credential.vendor_number,
        )
    else:
        message = cxml.order_message(
            buyer=cxml.Identity(domain=credential.domain, identity=credential.identity),
            buyer_cookie=session.buyer_cookie,
            items=[
                cxml.OrderMessageItem(
                    sku=line.variant.sku,
                    quantity=line.quantity,
                    unit_price=price.unit_net,
                    currency=price.currency,
                    description=_description(line),
                    unit=cxml_unit(line.variant.unit),
                    classification=line.variant.product.category.slug,
                    manufacturer=line.variant.product.brand,
                    gtin=line.variant.gtin,
                )
                for line, price in lines
            ],
            total=sum((price.unit_net * line.quantity for line, price in lines), Decimal(0)),
            currency=context.currency,
            language=session.language or context.language,
        )
        fields = [("cxml-urlencoded", message.decode())]
    PunchoutSession.objects.filter(pk=session.pk).update(
        status=SessionStatus.TRANSFERRED, transferred_at=timezone.now(), lines_transferred=len(lines)
    )
    return Transfer(return_url=session.return_url, fields=fields, system=credential.name)


def _description(line) -> str:
    name = line.product_name or line.variant.product.tr("name")
    variant = line.variant.tr("name")
    return f"{name} — {variant}" if variant and variant not in name else name


def _plain(text: str) -> str:
    return " ".join(text.split())


# --- purchase orders --------------------------------------------------------------------


def purchase_order_receive(*, credential: PunchoutCredential, message: cxml.OrderRequest) -> PunchoutOrder:
    """Place a cXML OrderRequest as an order of the credential's company, as its buyer, with
    the company's prices, credit limit, stock and approvals; the PO number is the orderID.

    One order per payloadID: the same message again returns the first one's row (its answer
    kept in ``response``), also when two arrive at once (the row's unique constraint and
    lock; a copy refused while another was placed returns the placed row). A refusal is
    logged with its reason and raised (DomainError); the same message may then be sent
    again."""
    payload = message.header.payload_id
    placed = PunchoutOrder.objects.filter(
        credential=credential, payload_id=payload, status=OrderStatus.PLACED
    ).first()
    if placed is not None:
        return placed
    company = credential.company
    buyer = credential.buyer.user
    context = _company_context(credential, message.header.language.split("-")[0])
    try:
        cart = _cart_of(message, context)
        details = CheckoutDetails(
            email=buyer.email,
            delivery_method=_delivery_method(context),
            payment_method=_payment_method(context, company),
            address_id=delivery_address_for(company=company, ship_to=message.ship_to).pk,
            po_number=message.order_id,
            comment=_("cXML OrderRequest %(payload)s from %(system)s")
            % {"payload": payload[:120], "system": credential.name},
        )
        with transaction.atomic():
            log, _created = PunchoutOrder.objects.select_for_update().get_or_create(
                credential=credential,
                payload_id=payload,
                defaults={"status": OrderStatus.FAILED, "po_number": message.order_id},
            )
            if log.status == OrderStatus.PLACED:  # the same message, placed meanwhile
                return log
            order = order_place(
                cart=cart,
                context=context,
                details=details,
                acting_user=buyer,
                idempotency_key=f"cxml:{credential.pk}:{payload}",
            )
            log.status, log.order, log.error, log.po_number = OrderStatus.PLACED, order, "", message.order_id
            log.response = cxml.status_response(
                200, _("Order %(number)s received.") % {"number": order.number}, message.header.language
            ).decode()
            log.save()
            return log
    except DomainError as error:
        placed = _refusal_log(credential=credential, payload=payload, message=message, error=error)
        if placed is not None:  # another copy of the message was placed meanwhile: its answer
            return placed
        raise


def _refusal_log(
    *, credential: PunchoutCredential, payload: str, message: cxml.OrderRequest, error: DomainError
) -> PunchoutOrder | None:
    """Note the refusal on the message's row — never over a row another copy placed (that
    row is returned, and the refusal forgotten)."""
    failed = {"status": OrderStatus.FAILED, "po_number": message.order_id, "error": refusal_text(error)}
    rows = PunchoutOrder.objects.filter(credential=credential, payload_id=payload)
    if rows.exclude(status=OrderStatus.PLACED).update(**failed):
        return None
    log, _created = PunchoutOrder.objects.get_or_create(
        credential=credential, payload_id=payload, defaults=failed
    )
    return log if log.status == OrderStatus.PLACED else None


def refusal_text(error: DomainError) -> str:
    """The reason of a refusal with the lines it names."""
    lines = [
        f"{line.get('sku', line.get('line', ''))}: {line['message']}"
        for line in error.lines
        if "message" in line
    ]
    return " ".join([str(error.message), *lines])


def _cart_of(message: cxml.OrderRequest, context: CustomerContext):
    cart = cart_get(user_id=None, token=None, create=True)
    for line in message.lines:
        try:
            cart_add(cart=cart, context=context, sku=line.sku, quantity=line.quantity)
        except DomainError as error:
            raise MessageInvalid(
                _("ItemOut %(line)s (%(sku)s): %(reason)s")
                % {"line": line.line_number, "sku": line.sku[:64], "reason": error.message},
                code=error.code,
            ) from error
    return cart


def _delivery_method(context: CustomerContext) -> str:
    options = delivery_options(context)
    if not options:
        raise PunchoutError(
            _("No delivery method is available to the company."), code="delivery_method_invalid"
        )
    return options[0].code


def _payment_method(context: CustomerContext, company: Company) -> str:
    methods = payment_methods_for(context, company)
    if not methods:
        raise PunchoutError(_("The company has no payment method for orders."), code="payment_method_invalid")
    return methods[0]


def _normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().replace("-", " ").split())


def delivery_address_for(*, company: Company, ship_to: cxml.ShipTo | None) -> Address:
    """The company's delivery address a ShipTo names: by its addressID (the address's
    external ID), else the same street, postal code, city and country, else a new one. No
    ShipTo: the company's default delivery address."""
    addresses = Address.objects.filter(company=company, kind=AddressKind.DELIVERY)
    if ship_to is None:
        address = addresses.order_by("-is_default", "id").first()
        if address is None:
            raise MessageInvalid(_("ShipTo is missing and the company has no delivery address."))
        return address
    if ship_to.address_id:
        address = addresses.filter(external_id=ship_to.address_id).first()
        if address is not None:
            return address
    wanted = [_normal(part) for part in (ship_to.street, ship_to.postal_code, ship_to.city, ship_to.country)]
    for address in addresses:
        if [
            _normal(part) for part in (address.street, address.postal_code, address.city, address.country)
        ] == wanted:
            return address
    taken = (
        bool(ship_to.address_id)
        and Address.objects.filter(company=company, external_id=ship_to.address_id).exists()
    )
    address = Address(
        company=company,
        kind=AddressKind.DELIVERY,
        label=ship_to.name[:80],
        recipient=ship_to.deliver_to or ship_to.name or company.name,
        street=ship_to.street,
        postal_code=ship_to.postal_code,
        city=ship_to.city,
        country=ship_to.country,
        phone=ship_to.phone,
        external_id=ship_to.address_id if ship_to.address_id and not taken else None,
    )
    try:
        address.full_clean()
    except ValidationError as error:
        field, problems = next(iter(error.message_dict.items()))
        raise MessageInvalid(
            _("ShipTo: %(field)s: %(problem)s") % {"field": field, "problem": " ".join(problems)}
        ) from error
    address.save()
    return address
