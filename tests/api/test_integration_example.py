"""docs/examples/erp_sync.py runs as written against a live server: first all orders, then
only what changed, and the account's own prices."""

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from tandem.checkout.services import order_place
from tandem.customers.api_auth import api_token_create
from tests.checkout.conftest import company_details
from tests.factories import (
    company_address,
    make_cart,
    make_company,
    make_company_user,
    make_delivery,
    make_product,
    user_context,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "erp_sync.py"


def run(live_server, key: str, cursor_file: Path, *skus: str) -> list[dict]:
    env = {
        **os.environ,
        "TANDEM_URL": live_server.url,
        "TANDEM_TOKEN": key,
        "TANDEM_CURSOR_FILE": str(cursor_file),
    }
    done = subprocess.run(
        [sys.executable, str(EXAMPLE), *skus], env=env, capture_output=True, text=True, timeout=60, check=True
    )
    return [json.loads(line) for line in done.stdout.splitlines()]


@pytest.mark.django_db(transaction=True)
def test_the_erp_example_pulls_orders_once_and_reads_its_prices(live_server, settings, tmp_path):
    settings.SYNC_SETTLE_SECONDS = 0
    make_delivery("courier")
    company = make_company("ACME", credit_limit=Decimal("100000"))
    buyer = make_company_user(company, email="buyer@acme.test")
    drill = make_product("Drill", net="90.00", gross="123.00", stock=50).variants.get()

    def place():
        return order_place(
            cart=make_cart(lines=[(drill, 1)]),
            context=user_context(buyer),
            acting_user=buyer,
            details=company_details(company_address(company).pk),
        )

    first = place()
    _token, key = api_token_create(user=buyer, name="ERP", scopes=["orders:read", "catalog:read"])
    cursor = tmp_path / "erp.cursor"
    lines = run(live_server, key, cursor, drill.sku)
    assert [line["order"] for line in lines if "order" in line] == [first.number]
    assert {"sku": drill.sku, "price": "90.00"} in lines  # the company's net price
    second = place()
    again = run(live_server, key, cursor)
    assert [line["order"] for line in again if "order" in line] == [second.number]
