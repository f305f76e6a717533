"""cXML 1.2 messages: reading what Ariba and Coupa send, writing what they expect back.

Messages are read with a parser that resolves no entity, loads no DTD and reaches no network,
and a document that declares anything in an internal DTD subset (entities, the way XXE and
"billion laughs" attacks begin) is refused: a real procurement system sends only the public
DOCTYPE line. Every answer is a complete cXML document (declaration, DOCTYPE, ``payloadID``,
``timestamp``, ``xml:lang``) with a ``Status``.
"""

import secrets
import time
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from tandem.punchout.errors import MessageInvalid, MessageTooLarge

DOCTYPE = '<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.014/cXML.dtd">'
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MAX_MESSAGE_BYTES = 2_000_000
MAX_PAYLOAD_ID = 255  # PunchoutOrder.payload_id
STATUS_TEXT = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    409: "Conflict",
    413: "Request Entity Too Large",
    500: "Internal Server Error",
}


def safe_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )


# --- reading ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    domain: str
    identity: str


@dataclass(frozen=True)
class Header:
    payload_id: str
    language: str
    sender: list[Identity]  # From and Sender credentials: who may be asking
    shared_secret: str


@dataclass(frozen=True)
class SetupRequest:
    header: Header
    operation: str
    buyer_cookie: str
    return_url: str


@dataclass(frozen=True)
class OrderedLine:
    line_number: int
    sku: str
    quantity: int


@dataclass(frozen=True)
class ShipTo:
    address_id: str
    name: str
    deliver_to: str
    street: str
    postal_code: str
    city: str
    country: str
    phone: str


@dataclass(frozen=True)
class OrderRequest:
    header: Header
    order_id: str
    order_date: str
    ship_to: ShipTo | None
    lines: list[OrderedLine]


def too_large() -> MessageTooLarge:
    return MessageTooLarge(_("The message is larger than %(size)s bytes.") % {"size": MAX_MESSAGE_BYTES})


def message_read(body: bytes) -> SetupRequest | OrderRequest:
    """The request in a cXML document; MessageInvalid naming what is wrong or missing."""
    if len(body) > MAX_MESSAGE_BYTES:
        raise too_large()
    try:
        root = etree.fromstring(body, safe_parser())
    except etree.XMLSyntaxError as error:
        raise MessageInvalid(_("The XML is not well-formed: %(error)s") % {"error": error}) from error
    if _declares_anything(root):
        raise MessageInvalid(_("A DTD with declarations (entities) is not accepted."))
    if root.tag != "cXML":
        raise MessageInvalid(_("The root element must be cXML, not %(tag)s.") % {"tag": root.tag})
    header = _header(root)
    request = root.find("Request")
    kind = next(iter(request), None) if request is not None else None
    if kind is None or not isinstance(kind.tag, str):
        raise MessageInvalid(_("Request is missing."))
    if kind.tag == "PunchOutSetupRequest":
        return _setup_request(header, kind)
    if kind.tag == "OrderRequest":
        return _order_request(header, kind)
    raise MessageInvalid(_("%(request)s is not supported here.") % {"request": kind.tag})


def _declares_anything(root) -> bool:
    """An internal DTD subset with entity, element or attribute declarations."""
    dtd = root.getroottree().docinfo.internalDTD
    return dtd is not None and (
        any(True for _ in dtd.iterentities()) or any(True for _ in dtd.iterelements())
    )


def _text(element, path: str) -> str:
    found = element.find(path)
    return "".join(found.itertext()).strip() if found is not None else ""


def _required(element, path: str) -> str:
    value = _text(element, path)
    if not value:
        raise MessageInvalid(_("%(element)s is missing.") % {"element": path})
    return value


def _identities(element, path: str) -> list[Identity]:
    return [
        Identity(domain=credential.get("domain", "").strip(), identity=_text(credential, "Identity"))
        for credential in element.findall(path)
        if _text(credential, "Identity")
    ]


def _header(root) -> Header:
    header = root.find("Header")
    if header is None:
        raise MessageInvalid(_("Header is missing."))
    identities = _identities(header, "From/Credential") + _identities(header, "Sender/Credential")
    if not identities:
        raise MessageInvalid(_("Header/From/Credential/Identity is missing."))
    return Header(
        payload_id=root.get("payloadID", "").strip(),
        language=root.get(XML_LANG, "") or "en",
        sender=identities,
        shared_secret=_text(header, "Sender/Credential/SharedSecret"),
    )


def _setup_request(header: Header, setup) -> SetupRequest:
    return SetupRequest(
        header=header,
        operation=setup.get("operation", "create"),
        buyer_cookie=_required(setup, "BuyerCookie")[:255],
        return_url=_required(setup, "BrowserFormPost/URL"),
    )


def _whole(value: str, where: str) -> int:
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = Decimal(0)
    if number < 1 or number != number.to_integral_value() or number > 1_000_000:
        raise MessageInvalid(
            _("%(where)s: the quantity %(value)s is not a whole number of at least 1.")
            % {"where": where, "value": value[:20]}
        )
    return int(number)


def _order_request(header: Header, order) -> OrderRequest:
    if not header.payload_id:
        raise MessageInvalid(_("The cXML element has no payloadID."))
    if len(header.payload_id) > MAX_PAYLOAD_ID:
        raise MessageInvalid(
            _("The payloadID is longer than %(length)s characters.") % {"length": MAX_PAYLOAD_ID}
        )
    order_header = order.find("OrderRequestHeader")
    if order_header is None:
        raise MessageInvalid(_("OrderRequestHeader is missing."))
    order_id = order_header.get("orderID", "").strip()
    if not order_id:
        raise MessageInvalid(_("OrderRequestHeader has no orderID."))
    lines = []
    for index, item in enumerate(order.findall("ItemOut"), start=1):
        where = _("ItemOut %(line)s") % {"line": item.get("lineNumber") or index}
        sku = _text(item, "ItemID/SupplierPartID")
        if not sku:
            raise MessageInvalid(_("%(where)s: ItemID/SupplierPartID is missing.") % {"where": where})
        lines.append(
            OrderedLine(
                line_number=int(item.get("lineNumber"))
                if (item.get("lineNumber") or "").isdigit()
                else index,
                sku=sku,
                quantity=_whole(item.get("quantity", ""), where),
            )
        )
    if not lines:
        raise MessageInvalid(_("The OrderRequest has no ItemOut."))
    return OrderRequest(
        header=header,
        order_id=order_id[:60],
        order_date=order_header.get("orderDate", ""),
        ship_to=_ship_to(order_header.find("ShipTo/Address")),
        lines=lines,
    )


def _ship_to(address) -> ShipTo | None:
    if address is None:
        return None
    postal = address.find("PostalAddress")
    if postal is None:
        raise MessageInvalid(_("ShipTo/Address/PostalAddress is missing."))
    country = postal.find("Country")
    return ShipTo(
        address_id=address.get("addressID", "").strip()[:64],
        name=_text(address, "Name")[:150],
        deliver_to=", ".join(_text(line, ".") for line in postal.findall("DeliverTo") if _text(line, "."))[
            :150
        ],
        street=", ".join(_text(line, ".") for line in postal.findall("Street") if _text(line, "."))[:200]
        or _required(postal, "Street"),
        postal_code=_text(postal, "PostalCode")[:20],
        city=_required(postal, "City")[:100],
        country=(country.get("isoCountryCode", "") if country is not None else "").upper()[:2]
        or _required(postal, "Country"),
        phone=_text(address, "Phone/TelephoneNumber/Number")[:40],
    )


# --- writing ----------------------------------------------------------------------------


def payload_id() -> str:
    """``<milliseconds>.<random>@<host>``: unique, as the cXML specification recommends."""
    host = urlsplit(settings.SHOP_URL).hostname or "tandem"
    return f"{int(time.time() * 1000)}.{secrets.token_hex(8)}@{host}"


def envelope(language: str = "en") -> etree._Element:
    root = etree.Element("cXML")
    root.set("payloadID", payload_id())
    root.set("timestamp", timezone.localtime().isoformat(timespec="seconds"))
    root.set(XML_LANG, language or "en")
    return root


def document(root: etree._Element) -> bytes:
    """The declaration and DOCTYPE every cXML document starts with, then ``root``."""
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        + DOCTYPE.encode()
        + b"\n"
        + etree.tostring(root, encoding="UTF-8", pretty_print=True)
    )


def _sub(parent, tag: str, content: str | None = None, /, **attributes) -> etree._Element:
    element = etree.SubElement(
        parent, tag, {key: value for key, value in attributes.items() if value is not None}
    )
    if content is not None:
        element.text = content
    return element


def status_response(code: int, detail: str = "", language: str = "en") -> bytes:
    """A ``Response`` with just a ``Status`` (an order received, or a refusal saying why)."""
    root = envelope(language)
    response = _sub(root, "Response")
    _sub(response, "Status", detail or None, code=str(code), text=STATUS_TEXT.get(code, "Error"))
    return document(root)


def setup_response(start_url: str, language: str = "en") -> bytes:
    root = envelope(language)
    response = _sub(root, "Response")
    _sub(response, "Status", code="200", text="OK")
    _sub(_sub(_sub(response, "PunchOutSetupResponse"), "StartPage"), "URL", start_url)
    return document(root)


def money(amount: Decimal) -> str:
    return f"{amount.quantize(Decimal('0.01'))}"


@dataclass(frozen=True)
class OrderMessageItem:
    sku: str
    quantity: int
    unit_price: Decimal
    currency: str
    description: str
    unit: str  # cXML unit code
    classification: str  # the catalog category's code
    manufacturer: str
    gtin: str


def order_message(
    *,
    buyer: Identity,
    buyer_cookie: str,
    items: list[OrderMessageItem],
    total: Decimal,
    currency: str,
    language: str,
) -> bytes:
    """The ``PunchOutOrderMessage`` that carries a cart back to the procurement system."""
    root = envelope(language)
    header = _sub(root, "Header")
    _sub(_sub(_sub(header, "From"), "Credential", domain="DomainName"), "Identity", _supplier())
    _sub(
        _sub(_sub(header, "To"), "Credential", domain=buyer.domain or "NetworkID"), "Identity", buyer.identity
    )
    sender = _sub(header, "Sender")
    _sub(_sub(sender, "Credential", domain="DomainName"), "Identity", _supplier())
    _sub(sender, "UserAgent", f"Tandem {settings.SHOP_NAME}")
    message = _sub(_sub(root, "Message"), "PunchOutOrderMessage")
    _sub(message, "BuyerCookie", buyer_cookie)
    order_header = _sub(message, "PunchOutOrderMessageHeader", operationAllowed="create")
    _sub(_sub(order_header, "Total"), "Money", money(total), currency=currency)
    for item in items:
        item_in = _sub(message, "ItemIn", quantity=str(item.quantity))
        _sub(_sub(item_in, "ItemID"), "SupplierPartID", item.sku)
        detail = _sub(item_in, "ItemDetail")
        _sub(_sub(detail, "UnitPrice"), "Money", money(item.unit_price), currency=item.currency)
        description = _sub(detail, "Description", item.description)
        description.set(XML_LANG, language or "en")
        _sub(detail, "UnitOfMeasure", item.unit)
        _sub(detail, "Classification", item.classification, domain="SupplierCategory")
        if item.manufacturer:
            _sub(detail, "ManufacturerName", item.manufacturer)
        if item.gtin:
            _sub(detail, "Extrinsic", item.gtin, name="GTIN")
    return document(root)


def _supplier() -> str:
    return urlsplit(settings.SHOP_URL).hostname or "tandem"
