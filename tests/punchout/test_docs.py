"""The examples in docs/partners.md are the ones that work: the tests send them as written."""

import re
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from lxml import etree

from tandem.orders.models import Order
from tandem.punchout.cxml import safe_parser
from tandem.punchout.models import PunchoutSession
from tests.punchout.conftest import connect

pytestmark = pytest.mark.django_db
DOC = Path(__file__).resolve().parents[2] / "docs" / "partners.md"


def example(name: str) -> str:
    found = re.search(rf"```\w+ {re.escape(name)}\n(.*?)```", DOC.read_text(), re.S)
    assert found, name
    return found.group(1)


def test_the_oci_example_opens_a_session(client, shop):
    parameters = dict(line.split("=", 1) for line in example("oci-login").strip().splitlines())
    connect(shop, protocol="oci", identity=parameters["USERNAME"], secret=parameters["PASSWORD"])

    response = client.post("/punchout/oci/", parameters)

    assert response.status_code == 302
    assert PunchoutSession.objects.get().return_url == parameters["HOOK_URL"]


def _credential_of(message: str) -> tuple[str, str]:
    root = etree.fromstring(message.encode(), safe_parser())
    return root.findtext("Header/Sender/Credential/Identity"), root.findtext(
        "Header/Sender/Credential/SharedSecret"
    )


def test_the_cxml_setup_example_gets_a_start_page(client, shop):
    message = example("cxml-setup-request")
    identity, secret = _credential_of(message)
    connect(shop, protocol="cxml", identity=identity, secret=secret, name="Ariba")

    response = client.post("/punchout/cxml/", message.encode(), content_type="text/xml")

    root = etree.fromstring(response.content, safe_parser())
    assert root.find("Response/Status").get("code") == "200"
    start = urlsplit(root.findtext("Response/PunchOutSetupResponse/StartPage/URL"))
    assert start.path.startswith("/punchout/start/") and not parse_qsl(start.query)


def test_the_cxml_order_example_places_an_order(client, shop):
    message = example("cxml-order-request")
    identity, secret = _credential_of(message)
    connect(shop, protocol="cxml", identity=identity, secret=secret, name="Ariba")

    response = client.post("/punchout/cxml/", message.encode(), content_type="text/xml")

    assert etree.fromstring(response.content, safe_parser()).find("Response/Status").get("code") == "200"
    assert Order.objects.get().po_number == "PO-4500012345"
