from pathlib import Path

import pytest

from tandem.catalog.models import Visibility
from tests.factories import make_category, make_option, make_product


def pytest_collection_modifyitems(items):
    # This hook sees every collected item of the session, not only this folder's.
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture
def shop(transactional_db):
    """A small catalog committed to the database so the live server sees it."""
    tools = make_category(
        "Power tools", slug="power-tools", translations={"pl": {"name": "Elektronarzędzia"}}
    )
    drills = make_category(
        "Cordless drills", parent=tools, slug="cordless-drills", translations={"pl": {"name": "Wiertarki"}}
    )
    cordless, mains = make_option("power-source", "cordless"), make_option("power-source", "mains")
    make_product(
        "Ferrum Cordless drill FE-1",
        category=drills,
        gross="499.00",
        net="330.00",
        options=[cordless],
        translations={"pl": {"name": "Wiertarka Ferrum FE-1"}},
    )
    make_product("Volta Hammer drill VO-2", category=drills, gross="399.00", options=[mains])
    make_product(
        "Ferrum Chainsaw FE-9",
        category=tools,
        gross="1299.00",
        stock=0,
        translations={"pl": {"name": "Piła łańcuchowa FE-9"}},
    )
    make_product("Pallet of drills", category=drills, visibility=Visibility.B2B, gross=None, net="9000.00")
    return {"tools": tools, "drills": drills}


@pytest.fixture(autouse=True)
def _no_content_security_policy_violations(request):
    """Every browser test fails if Chromium refused anything under the shop's
    Content-Security-Policy (an inline script or handler, an outside script)."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    refused: list[str] = []
    page.context.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None,
    )
    yield
    assert refused == []
