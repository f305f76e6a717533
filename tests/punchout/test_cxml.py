"""Ariba's and Coupa's side of cXML punchout, played with the test client: setup, the start
link, the PunchOutOrderMessage that carries the cart back, and purchase orders."""

from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from lxml import etree, html

from tandem.customers.models import Address
from tandem.orders.models import Order
from tandem.punchout.cxml import safe_parser
from tandem.punchout.models import OrderStatus, PunchoutOrder, PunchoutSession
from tests.punchout.conftest import RETURN_URL, connect

pytestmark = pytest.mark.django_db

SECRET = "s3cr3t-for-tests"


def header(identity: str = "AN01000000001", secret: str = SECRET) -> str:
    return f"""<Header>
    <From><Credential domain="NetworkID"><Identity>{identity}</Identity></Credential></From>
    <To><Credential domain="DomainName"><Identity>shop.example.com</Identity></Credential></To>
    <Sender><Credential domain="NetworkID"><Identity>{identity}</Identity>
    <SharedSecret>{secret}</SharedSecret></Credential>
    <UserAgent>Test</UserAgent></Sender></Header>"""


def setup_request(identity: str = "AN01000000001", secret: str = SECRET, cookie: str = "COOKIE-1") -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.014/cXML.dtd">
<cXML payloadID="1.1@buyer.example" timestamp="2025-01-15T10:00:00+01:00" xml:lang="en-US">
{header(identity, secret)}
<Request><PunchOutSetupRequest operation="create"><BuyerCookie>{cookie}</BuyerCookie>
<BrowserFormPost><URL>{RETURN_URL}</URL></BrowserFormPost></PunchOutSetupRequest></Request></cXML>"""


def order_request(
    sku: str, quantity: int = 2, payload: str = "2.2@buyer.example", identity: str = "AN01000000001"
) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<cXML payloadID="{payload}" timestamp="2025-01-15T10:00:00+01:00" xml:lang="en-US">{header(identity)}
<Request><OrderRequest><OrderRequestHeader orderID="PO-777" orderDate="2025-01-15T10:00:00+01:00" type="new">
<Total><Money currency="PLN">200.00</Money></Total>
<ShipTo><Address addressID="WH-1"><Name xml:lang="en">Warehouse</Name><PostalAddress>
<DeliverTo>Goods receipt</DeliverTo><Street>Dock 4</Street><City>Warszawa</City>
<PostalCode>00-950</PostalCode>
<Country isoCountryCode="PL">Poland</Country></PostalAddress></Address></ShipTo>
</OrderRequestHeader>
<ItemOut quantity="{quantity}" lineNumber="1">
<ItemID><SupplierPartID>{sku}</SupplierPartID></ItemID></ItemOut>
</OrderRequest></Request></cXML>"""


def post(client, body: str):
    return client.post("/punchout/cxml/", body.encode(), content_type="text/xml")


def parsed(response) -> etree._Element:
    body = response.content
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE cXML SYSTEM ')
    root = etree.fromstring(body, safe_parser())
    assert root.tag == "cXML" and root.get("payloadID") and root.get("timestamp")
    assert "@" in root.get("payloadID")
    return root


def status(response) -> tuple[str, str]:
    element = parsed(response).find("Response/Status")
    return element.get("code"), (element.text or "")


@pytest.fixture
def ariba(shop):
    credential, _secret = connect(
        shop, protocol="cxml", identity="AN01000000001", name="Ariba", secret=SECRET
    )
    return credential


def test_setup_start_and_transfer_carry_the_cart_back_as_a_punchout_order_message(client, shop, ariba):
    response = post(client, setup_request(cookie="ACME-COOKIE"))
    assert status(response)[0] == "200"
    start = parsed(response).findtext("Response/PunchOutSetupResponse/StartPage/URL")

    assert client.get(urlsplit(start).path).status_code == 302
    client.post("/api/v1/cart/lines", {"sku": shop.drill.sku, "quantity": 3}, content_type="application/json")
    page = html.fromstring(client.post("/punchout/transfer/").content)

    form = page.xpath("//form[@data-punchout-return]")[0]
    assert form.get("action") == RETURN_URL
    message = etree.fromstring(
        form.xpath(".//input[@name='cxml-urlencoded']")[0].get("value").encode(), safe_parser()
    )
    order = message.find("Message/PunchOutOrderMessage")
    assert order.findtext("BuyerCookie") == "ACME-COOKIE"
    assert order.find("PunchOutOrderMessageHeader").get("operationAllowed") == "create"
    total = order.find("PunchOutOrderMessageHeader/Total/Money")
    assert (total.text, total.get("currency")) == ("300.00", "PLN")
    [item] = order.findall("ItemIn")
    assert item.get("quantity") == "3"
    assert item.findtext("ItemID/SupplierPartID") == "DRILL-18V"
    assert item.findtext("ItemDetail/UnitPrice/Money") == "100.00"
    assert item.findtext("ItemDetail/UnitOfMeasure") == "EA"
    assert item.find("ItemDetail/Description").get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert item.find("ItemDetail/Classification").text == shop.drill.product.category.slug
    assert message.findtext("Header/To/Credential/Identity") == "AN01000000001"


def test_the_start_link_works_once(client, shop, ariba):
    start = urlsplit(parsed(post(client, setup_request())).findtext(".//StartPage/URL")).path

    first = client.get(start)
    client.logout()
    second = client.get(start)

    assert first.status_code == 302
    assert second.status_code == 404
    assert "_auth_user_id" not in client.session


def test_a_wrong_shared_secret_is_401(client, shop, ariba):
    response = post(client, setup_request(secret="guess"))

    assert response.status_code == 401
    assert status(response)[0] == "401"
    assert not PunchoutSession.objects.exists()


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("<cXML><Header>", "not well-formed"),
        ("<Order/>", "root element must be cXML"),
        (setup_request().replace("<BuyerCookie>COOKIE-1</BuyerCookie>", ""), "BuyerCookie is missing"),
        (setup_request().replace(f"<URL>{RETURN_URL}</URL>", ""), "BrowserFormPost/URL is missing"),
        (order_request("DRILL-18V").replace('quantity="2"', 'quantity="0.5"'), "not a whole number"),
    ],
    ids=["malformed", "not-cxml", "no-cookie", "no-return-url", "half-a-drill"],
)
def test_a_message_that_cannot_be_read_is_400_with_the_reason(client, shop, ariba, body, reason):
    response = post(client, body)

    code, text = status(response)
    assert (response.status_code, code) == (400, "400")
    assert reason in text


def test_an_entity_is_never_expanded(client, shop, ariba):
    """XXE: a file, and the "billion laughs"; the document is refused before anything reads it."""
    xxe = (
        setup_request()
        .replace(
            '<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.014/cXML.dtd">',
            '<!DOCTYPE cXML [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY a "aaaaaaaaaa">]>',
        )
        .replace("COOKIE-1", "&xxe;&a;")
    )

    response = post(client, xxe)

    assert status(response)[0] == "400"
    assert b"root:" not in response.content and b"aaaaaaaaaa" not in response.content
    assert not PunchoutSession.objects.exists()


def test_an_order_request_is_placed_once_with_the_companys_prices(client, shop, ariba):
    first = post(client, order_request("DRILL-18V"))
    second = post(client, order_request("DRILL-18V"))

    assert status(first)[0] == "200"
    assert second.content == first.content
    order = Order.objects.get()
    assert (order.company_id, order.po_number, order.placed_by_id) == (shop.acme.pk, "PO-777", shop.buyer.pk)
    line = order.lines.get()
    assert (line.sku, line.quantity, line.unit_net) == ("DRILL-18V", 2, Decimal("100.00"))
    assert PunchoutOrder.objects.get().order == order
    assert Address.objects.filter(company=shop.acme).count() == 1  # Dock 4 matched, not added


def test_a_new_ship_to_becomes_a_delivery_address_of_the_company(client, shop, ariba):
    post(client, order_request("DRILL-18V").replace("Dock 4", "Portowa 12"))

    assert Address.objects.filter(company=shop.acme, street="Portowa 12", external_id="WH-1").exists()


def test_another_companys_connection_cannot_order_this_companys_restricted_product(client, shop, ariba):
    connect(shop, protocol="cxml", identity="AN02", buyer=shop.other_buyer, name="Coupa", secret=SECRET)

    response = post(client, order_request(shop.special.sku, identity="AN02"))

    code, text = status(response)
    assert code == "400" and shop.special.sku in text
    assert not Order.objects.exists()


def test_a_refused_order_is_logged_with_its_reason(client, shop, ariba):
    shop.acme.credit_limit = Decimal("50")
    shop.acme.save()

    response = post(client, order_request("DRILL-18V"))

    assert status(response)[0] in ("400", "409")
    log = PunchoutOrder.objects.get()
    assert (log.status, log.order, log.po_number) == (OrderStatus.FAILED, None, "PO-777")
    assert "credit" in log.error.lower()


def test_a_message_larger_than_the_server_reads_is_a_cxml_413_not_a_500(client, shop, ariba, settings):
    """Django refuses to read a body past DATA_UPLOAD_MAX_MEMORY_SIZE; the system still gets a
    cXML answer that says why, not an Internal Server Error."""
    body = setup_request().replace("COOKIE-1", "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10))

    response = post(client, body)

    assert response.status_code == 413
    assert status(response)[0] == "413"


def test_a_copy_refused_while_the_first_was_placed_keeps_the_order_and_answers_it(
    client, shop, ariba, monkeypatch
):
    """Two copies of one OrderRequest at once: the first is placed while the second is still
    checking its lines, which now fail (the first took the stock). The log keeps the order,
    and the second copy gets the first one's answer, never a refusal of an ordered message."""
    from tandem.punchout import services
    from tandem.punchout.errors import MessageInvalid

    real_cart_of = services._cart_of
    calls = []

    def the_first_copy_wins_meanwhile(message, context):
        if not calls:
            calls.append(1)
            post(client, order_request("DRILL-18V"))  # the other copy, placed and committed
            raise MessageInvalid("ItemOut 1 (DRILL-18V): only 0 in stock")
        return real_cart_of(message, context)

    monkeypatch.setattr(services, "_cart_of", the_first_copy_wins_meanwhile)

    second = post(client, order_request("DRILL-18V"))

    log = PunchoutOrder.objects.get()
    assert (log.status, log.order) == (OrderStatus.PLACED, Order.objects.get())
    assert status(second)[0] == "200"


def test_a_payload_id_longer_than_the_log_keeps_is_refused_as_400(client, shop, ariba):
    """The log holds 255 characters of payloadID (the key of "once per message"); a longer one
    is refused with a reason rather than failing in the database (a 500 on PostgreSQL)."""
    response = post(client, order_request("DRILL-18V", payload="p" * 256 + "@buyer.example"))

    assert (response.status_code, status(response)[0]) == (400, "400")
    assert "payloadID" in status(response)[1]
    assert not Order.objects.exists()
