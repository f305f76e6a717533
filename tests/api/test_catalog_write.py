"""The catalog write API as an ERP uses it: products, variants, list prices and stock upserted
by the sender's keys, all or nothing or per item, the same payload twice changing nothing."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.catalog.models import Category, Product, Variant
from tandem.core.models import AuditEntry
from tandem.customers.api_auth import api_token_create
from tandem.inventory.models import StockItem, StockMovement, Warehouse
from tandem.inventory.services import StockRequest, stock_reserve
from tandem.pricing.models import BasePrice
from tests.factories import make_category, make_company, make_company_user, make_product, standard_tax

pytestmark = pytest.mark.django_db

WRITE = ["catalog:write", "prices:write", "stock:write"]


@pytest.fixture
def erp(staff_admin):
    standard_tax()
    make_category("Cables", slug="cables", external_id="CAT-7")
    Warehouse.objects.get_or_create(code="MAIN", defaults={"name": "Main", "country": "PL"})
    Warehouse.objects.get_or_create(code="SOUTH", defaults={"name": "South", "country": "PL"})
    return staff_admin


def _key(user, scopes=WRITE) -> dict:
    _token, key = api_token_create(user=user, name="ERP", scopes=scopes)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _item(number: int, **fields) -> dict:
    return {
        "external_id": f"ERP-{number}",
        "name": f"Copper cable {number}",
        "category": "CAT-7",
        "translations": {"pl": {"name": f"Kabel miedziany {number}"}},
        "variants": [
            {
                "sku": f"CAB-{number}",
                "gtin": "4006381333931",
                "tax_class": "standard",
                "unit": "m",
                "min_quantity": 5,
                "quantity_step": 5,
                "prices": [{"currency": "PLN", "channel": "b2c", "amount": "12.30"}],
                "stock": [{"warehouse": "MAIN", "on_hand": 40}],
            }
        ],
        **fields,
    }


def _put(client, path: str, body: dict, headers: dict):
    return client.put(f"/api/v1{path}", body, content_type="application/json", **headers)


def test_an_erp_creates_products_with_variants_prices_stock_and_translations(client, erp):
    response = _put(client, "/products", {"items": [_item(1), _item(2)]}, _key(erp))

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["updated"], body["unchanged"], body["failed"]) == (2, 0, 0, 0)
    product = Product.objects.get(external_id="ERP-1")
    assert body["items"][0] == {
        "index": 0,
        "key": "ERP-1",
        "status": "created",
        "id": product.pk,
        "errors": [],
    }
    assert product.slug == "copper-cable-1" and product.category.slug == "cables"
    assert product.tr("name", "pl") == "Kabel miedziany 1"
    assert "cab 1" in product.search_text  # found by its SKU in the shop's search
    variant = Variant.objects.get(sku="CAB-1")
    assert (variant.product_id, variant.unit, variant.min_quantity, variant.quantity_step) == (
        product.pk,
        "m",
        5,
        5,
    )
    assert BasePrice.objects.get(variant=variant).amount == Decimal("12.30")
    item = StockItem.objects.get(variant=variant, warehouse__code="MAIN")
    assert item.on_hand == 40
    assert list(StockMovement.objects.filter(item=item).values_list("kind", "on_hand_change")) == [
        ("opening", 40)
    ]
    assert AuditEntry.objects.filter(action="catalog.products_upserted", actor=erp).count() == 1


def test_the_same_payload_twice_changes_nothing(client, erp):
    headers = _key(erp)
    payload = {"items": [_item(1), _item(2)]}
    _put(client, "/products", payload, headers)
    stamps = dict(Product.objects.values_list("external_id", "updated_at"))
    audit, movements = AuditEntry.objects.count(), StockMovement.objects.count()

    response = _put(client, "/products", payload, headers)

    assert response.status_code == 200
    assert [item["status"] for item in response.json()["items"]] == ["unchanged", "unchanged"]
    assert dict(Product.objects.values_list("external_id", "updated_at")) == stamps
    assert (AuditEntry.objects.count(), StockMovement.objects.count()) == (audit, movements)


def test_only_the_fields_sent_change(client, erp):
    headers = _key(erp)
    _put(client, "/products", {"items": [_item(1)]}, headers)
    before = Product.objects.get(external_id="ERP-1")

    response = _put(
        client,
        "/products",
        {
            "items": [
                {
                    "external_id": "ERP-1",
                    "brand": "Helukabel",
                    "variants": [
                        {
                            "sku": "CAB-1",
                            "prices": [{"currency": "PLN", "channel": "b2c", "amount": "13.00"}],
                        },
                    ],
                }
            ]
        },
        headers,
    )

    assert response.json()["items"][0]["status"] == "updated"
    product = Product.objects.get(external_id="ERP-1")
    assert (product.brand, product.name, product.tr("name", "pl")) == (
        "Helukabel",
        before.name,
        "Kabel miedziany 1",
    )
    assert product.updated_at > before.updated_at
    variant = Variant.objects.get(sku="CAB-1")
    assert (variant.min_quantity, variant.gtin) == (5, "4006381333931")
    assert BasePrice.objects.get(variant=variant).amount == Decimal("13.00")
    assert StockItem.objects.get(variant=variant).on_hand == 40  # stock not sent: as it was


def test_a_stock_change_is_booked_as_a_count(client, erp):
    headers = _key(erp)
    _put(client, "/products", {"items": [_item(1)]}, headers)
    changed = _item(1)
    changed["variants"][0]["stock"] = [
        {"warehouse": "MAIN", "on_hand": 25},
        {"warehouse": "SOUTH", "on_hand": 3},
    ]

    response = _put(client, "/products", {"items": [changed]}, headers)

    assert response.json()["items"][0]["status"] == "updated"
    main = StockItem.objects.get(variant__sku="CAB-1", warehouse__code="MAIN")
    assert main.on_hand == 25
    assert main.movements.order_by("pk").last().on_hand_change == -15
    assert main.movements.order_by("pk").last().actor == erp
    assert StockItem.objects.get(variant__sku="CAB-1", warehouse__code="SOUTH").on_hand == 3


def test_a_batch_with_a_bad_item_writes_nothing_and_names_each_error(client, erp):
    bad = _item(2, category="NO-SUCH")
    bad["variants"][0].update(tax_class="luxury", gtin="4006381333932")
    bad["variants"][0]["stock"] = [{"warehouse": "MOON", "on_hand": 1}]

    response = _put(client, "/products", {"items": [_item(1), bad]}, _key(erp))

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "batch_invalid" and body["request_id"]
    fields = {(error["index"], error["field"], error["code"]) for error in body["errors"]}
    assert fields == {
        (1, "items.1.category", "category_unknown"),
        (1, "items.1.variants.0.tax_class", "tax_class_unknown"),
        (1, "items.1.variants.0.gtin", "gtin_invalid"),
        (1, "items.1.variants.0.stock.0.warehouse", "warehouse_unknown"),
    }
    assert [item["status"] for item in body["items"]] == ["created", "error"]  # what would have been
    assert not Product.objects.filter(external_id__in=["ERP-1", "ERP-2"]).exists()


def test_per_item_mode_writes_the_good_items_and_reports_the_bad(client, erp):
    response = _put(
        client,
        "/products",
        {"items": [_item(1), _item(2, category="NO-SUCH")], "mode": "per_item"},
        _key(erp),
    )

    assert response.status_code == 200
    assert [item["status"] for item in response.json()["items"]] == ["created", "error"]
    assert list(
        Product.objects.filter(external_id__startswith="ERP-").values_list("external_id", flat=True)
    ) == ["ERP-1"]


def test_a_new_product_needs_its_fields_and_skus_stay_with_their_product(client, erp):
    other = make_product(category=make_category())
    taken = other.variants.get().sku
    items = [
        {"external_id": "ERP-1"},
        _item(2),
        {**_item(3), "variants": [{"sku": taken, "tax_class": "standard"}]},
        {**_item(4), "variants": [{"sku": "CAB-2", "tax_class": "standard"}]},
        _item(1, name="x"),
    ]

    body = _put(client, "/products", {"items": items}, _key(erp)).json()

    fields = {(error["index"], error["field"], error["code"]) for error in body["errors"]}
    assert fields == {
        (0, "items.0.name", "required"),
        (0, "items.0.category", "required"),
        (0, "items.0.variants", "required"),
        (2, "items.2.variants.0.sku", "sku_taken"),
        (3, "items.3.variants.0.sku", "repeated"),
        (4, "items.4.external_id", "repeated"),
    }


def test_schema_errors_are_a_422_never_a_500(client, erp):
    headers = _key(erp)
    for item, field in [
        ({"external_id": "ERP-1", "name": None}, "items.0.name"),
        ({"external_id": "ERP-1", "colour": "red"}, "items.0.colour"),
        (
            {"external_id": "ERP-1", "variants": [{"sku": "A", "pack_size": 2**63}]},
            "items.0.variants.0.pack_size",
        ),
        (
            {
                "external_id": "ERP-1",
                "variants": [{"sku": "A", "prices": [{"currency": "XXX", "channel": "b2c", "amount": "1"}]}],
            },
            "items.0.variants.0.prices.0.currency",
        ),
    ]:
        response = _put(client, "/products", {"items": [item]}, headers)
        assert response.status_code == 422, item
        assert field in {error["field"] for error in response.json()["errors"]}, response.json()
    assert _put(client, "/products", {"items": [_item(n) for n in range(1001)]}, headers).status_code == 422


def test_scopes_and_rights(client, erp):
    catalog_only = _key(erp, ["catalog:write"])
    response = _put(client, "/products", {"items": [_item(1)]}, catalog_only)
    assert response.status_code == 403 and response.json()["code"] == "insufficient_scope"
    assert "prices:write" in response.json()["detail"]
    no_prices = _item(1)
    del no_prices["variants"][0]["prices"], no_prices["variants"][0]["stock"]
    assert _put(client, "/products", {"items": [no_prices]}, catalog_only).status_code == 200

    response = _put(client, "/products", {"items": [no_prices]}, _key(erp, ["catalog:read"]))
    assert response.status_code == 403 and "catalog:write" in response.json()["detail"]

    buyer = make_company_user(make_company())
    assert _put(client, "/products", {"items": [no_prices]}, _key(buyer, WRITE)).status_code == 403
    client.force_login(buyer)
    assert (
        _put(
            client, "/stock-levels", {"items": [{"sku": "CAB-1", "warehouse": "MAIN", "on_hand": 1}]}, {}
        ).status_code
        == 403
    )


def test_stock_levels_by_sku_and_warehouse(client, erp):
    product = make_product(stock=10)
    variant = product.variants.get()
    stock_reserve(requests=[StockRequest(variant_id=variant.pk, quantity=4)], reference="ORDER-1")
    headers = _key(erp)

    response = _put(
        client,
        "/stock-levels",
        {
            "items": [
                {"sku": variant.sku, "warehouse": "MAIN", "on_hand": 3},
                {"sku": "NOPE", "warehouse": "MAIN", "on_hand": 1},
            ]
        },
        headers,
    )
    assert response.status_code == 422
    assert {(e["field"], e["code"]) for e in response.json()["errors"]} == {
        ("items.0.on_hand", "below_reserved"),
        ("items.1.sku", "unknown_sku"),
    }

    payload = {
        "items": [
            {"sku": variant.sku, "warehouse": "MAIN", "on_hand": 7},
            {"sku": variant.sku, "warehouse": "SOUTH", "on_hand": 2},
        ]
    }
    assert [i["status"] for i in _put(client, "/stock-levels", payload, headers).json()["items"]] == [
        "updated",
        "created",
    ]
    assert [i["status"] for i in _put(client, "/stock-levels", payload, headers).json()["items"]] == [
        "unchanged",
        "unchanged",
    ]
    main = StockItem.objects.get(variant=variant, warehouse__code="MAIN")
    assert (main.on_hand, main.reserved) == (7, 4)
    assert main.movements.filter(kind="adjust").count() == 1


def test_list_prices_by_sku(client, erp):
    variant = make_product(gross="10.00").variants.get()
    headers = _key(erp, ["prices:write"])
    payload = {
        "items": [
            {"sku": variant.sku, "currency": "PLN", "channel": "b2c", "amount": "11.00"},
            {"sku": variant.sku, "currency": "EUR", "channel": "b2b", "amount": "2.50"},
        ]
    }
    assert [i["status"] for i in _put(client, "/list-prices", payload, headers).json()["items"]] == [
        "updated",
        "created",
    ]
    assert [i["status"] for i in _put(client, "/list-prices", payload, headers).json()["items"]] == [
        "unchanged",
        "unchanged",
    ]
    assert dict(BasePrice.objects.filter(variant=variant).values_list("currency", "amount")) == {
        "PLN": Decimal("11.00"),
        "EUR": Decimal("2.50"),
    }
    assert AuditEntry.objects.filter(action="pricing.list_prices_set").count() == 1


def test_a_batch_takes_the_same_queries_whatever_its_size(client, erp):
    headers = _key(erp)

    def queries(first: int, count: int) -> int:
        items = [_item(number) for number in range(first, first + count)]
        with CaptureQueriesContext(connection) as captured:
            assert _put(client, "/products", {"items": items}, headers).status_code == 200
        return len(captured.captured_queries)

    queries(500, 1)  # the key's first use notes its time
    assert queries(0, 5) == queries(100, 60)


def test_categories_by_external_id_with_parents_in_the_same_batch(client, erp):
    headers = _key(erp, ["catalog:write"])
    payload = {
        "items": [
            {"external_id": "C-TOOLS", "name": "Tools", "translations": {"pl": {"name": "Narzędzia"}}},
            {"external_id": "C-DRILLS", "name": "Drills", "parent": "C-TOOLS"},
            {"external_id": "C-BITS", "name": "Bits", "parent": "C-DRILLS", "sort_order": 3},
        ]
    }

    response = _put(client, "/categories", payload, headers)

    assert [item["status"] for item in response.json()["items"]] == ["created"] * 3
    tools, drills, bits = (Category.objects.get(external_id=key) for key in ("C-TOOLS", "C-DRILLS", "C-BITS"))
    assert (drills.parent, bits.parent, bits.depth, tools.tr("name", "pl")) == (tools, drills, 2, "Narzędzia")
    assert bits.path.startswith(tools.path) and tools.slug == "tools"
    assert [i["status"] for i in _put(client, "/categories", payload, headers).json()["items"]] == [
        "unchanged"
    ] * 3

    moved = _put(client, "/categories", {"items": [{"external_id": "C-BITS", "parent": None}]}, headers)
    assert moved.json()["items"][0]["status"] == "updated"
    bits.refresh_from_db()
    assert (bits.parent, bits.depth, bits.name) == (None, 0, "Bits")

    cycle = _put(
        client, "/categories", {"items": [{"external_id": "C-TOOLS", "parent": "C-DRILLS"}]}, headers
    )
    assert cycle.status_code == 422
    assert cycle.json()["errors"][0]["code"] == "parent_cycle"
    unknown = _put(client, "/categories", {"items": [{"external_id": "C-NEW", "parent": "C-NOPE"}]}, headers)
    assert {e["field"] for e in unknown.json()["errors"]} == {"items.0.name", "items.0.parent"}


def test_price_lists_and_their_entries_from_the_erp(client, erp):
    from tandem.customers.models import CustomerGroup
    from tandem.pricing.models import PriceList, PriceListEntry

    CustomerGroup.objects.create(code="installers", name="Installers")
    customer = make_company("Contract customer", external_id="K-100")
    variant = make_product(net="50.00").variants.get()
    headers = _key(erp, ["prices:write"])
    lists = {
        "items": [
            {
                "code": "installers-2027",
                "name": "Installers 2027",
                "currency": "PLN",
                "customer_groups": ["installers"],
            },
            {
                "code": "k100-contract",
                "name": "K-100 contract",
                "currency": "PLN",
                "companies": ["K-100"],
                "priority": 10,
            },
        ]
    }
    assert [i["status"] for i in _put(client, "/price-lists", lists, headers).json()["items"]] == [
        "created"
    ] * 2
    assert [i["status"] for i in _put(client, "/price-lists", lists, headers).json()["items"]] == [
        "unchanged"
    ] * 2
    contract = PriceList.objects.get(code="k100-contract")
    assert list(contract.companies.all()) == [customer] and contract.priority == 10

    entries = {
        "items": [
            {"sku": variant.sku, "price": "41.00"},
            {"sku": variant.sku, "min_quantity": 100, "discount_percent": "25"},
        ]
    }
    response = _put(client, "/price-lists/k100-contract/entries", entries, headers)
    assert [i["status"] for i in response.json()["items"]] == ["created", "created"]
    assert [
        i["status"]
        for i in _put(client, "/price-lists/k100-contract/entries", entries, headers).json()["items"]
    ] == [
        "unchanged",
        "unchanged",
    ]
    removed = _put(
        client,
        "/price-lists/k100-contract/entries",
        {"items": [{"sku": variant.sku, "min_quantity": 100, "remove": True}]},
        headers,
    )
    assert removed.json()["items"][0]["status"] == "updated"
    assert list(PriceListEntry.objects.filter(price_list=contract).values_list("min_quantity", "price")) == [
        (1, Decimal("41.00"))
    ]
    client.force_login(make_company_user(customer))  # the contract price is the customer's price now
    price = client.get(f"/api/v1/catalog/prices?sku={variant.sku}&quantity=1").json()[0]
    assert (price["price"]["net"], price["price"]["currency"]) == ("41.00", "PLN")
    client.logout()

    both = _put(
        client,
        "/price-lists/k100-contract/entries",
        {
            "items": [
                {"sku": variant.sku, "price": "1", "discount_percent": "1"},
                {"sku": "NOPE", "price": "1"},
            ]
        },
        headers,
    )
    assert {(e["field"], e["code"]) for e in both.json()["errors"]} == {
        ("items.0.price", "price_or_discount"),
        ("items.1.sku", "unknown_sku"),
    }
    assert _put(client, "/price-lists/no-such/entries", entries, headers).status_code == 404
    bad = _put(
        client,
        "/price-lists",
        {"items": [{"code": "x", "name": "X", "currency": "PLN", "companies": ["K-404"]}]},
        headers,
    )
    assert bad.json()["errors"][0]["code"] == "company_unknown"


def test_the_products_feed_serves_each_change_once_with_the_variants(client, erp, settings):
    settings.SYNC_SETTLE_SECONDS = 0
    headers = _key(erp, ["catalog:read", "catalog:write", "prices:write", "stock:write"])
    _put(client, "/products", {"items": [_item(1), _item(2)]}, headers)

    body = client.get("/api/v1/products/changes?limit=1", **headers).json()
    second = client.get(f"/api/v1/products/changes?cursor={body['next_cursor']}", **headers).json()

    assert [item["external_id"] for item in body["items"] + second["items"]] == ["ERP-1", "ERP-2"]
    record = body["items"][0]
    assert (record["category"], record["variants"][0]["sku"], record["variants"][0]["tax_class"]) == (
        "CAT-7",
        "CAB-1",
        "standard",
    )
    assert record["translations"] == {"pl": {"name": "Kabel miedziany 1"}}
    cursor = second["next_cursor"]
    assert client.get(f"/api/v1/products/changes?cursor={cursor}", **headers).json()["items"] == []

    variant_only = {"items": [{"external_id": "ERP-2", "variants": [{"sku": "CAB-2", "min_quantity": 10}]}]}
    _put(client, "/products", variant_only, headers)  # a variant is part of the product
    again = client.get(f"/api/v1/products/changes?cursor={cursor}", **headers).json()["items"]
    assert [(item["external_id"], item["variants"][0]["min_quantity"]) for item in again] == [("ERP-2", 10)]

    buyer = make_company_user(make_company())
    client.force_login(buyer)
    assert client.get("/api/v1/products/changes").status_code == 403


def test_attributes_and_the_products_specifications(client, erp):
    headers = _key(erp)
    attributes = {
        "items": [
            {
                "code": "voltage",
                "name": "Voltage",
                "unit": "V",
                "translations": {"pl": {"name": "Napięcie"}},
                "options": [{"slug": "18v", "value": "18 V"}, {"slug": "230v", "value": "230 V"}],
            }
        ]
    }
    assert _put(client, "/attributes", attributes, headers).json()["items"][0]["status"] == "created"
    assert _put(client, "/attributes", attributes, headers).json()["items"][0]["status"] == "unchanged"

    created = _put(client, "/products", {"items": [_item(1, options=["voltage:18v"])]}, headers).json()
    product = Product.objects.get(external_id="ERP-1")
    assert created["items"][0]["status"] == "created"
    assert [option.value for option in product.options.all()] == ["18 V"]
    assert "18 v" in product.search_text  # found by its specifications

    stamp = product.updated_at
    moved = _put(
        client, "/products", {"items": [{"external_id": "ERP-1", "options": ["voltage:230v"]}]}, headers
    )
    assert moved.json()["items"][0]["status"] == "updated"
    product.refresh_from_db()
    assert [option.value for option in product.options.all()] == ["230 V"] and product.updated_at > stamp
    same = _put(
        client, "/products", {"items": [{"external_id": "ERP-1", "options": ["voltage:230v"]}]}, headers
    )
    assert same.json()["items"][0]["status"] == "unchanged"

    unknown = _put(
        client, "/products", {"items": [{"external_id": "ERP-1", "options": ["voltage:9000v"]}]}, headers
    )
    assert unknown.json()["errors"][0]["code"] == "option_unknown"
    half = _put(client, "/attributes", {"items": [{"code": "colour", "options": [{"slug": "red"}]}]}, headers)
    assert {e["field"] for e in half.json()["errors"]} == {"items.0.name", "items.0.options.0.value"}


def test_product_photos_are_added_checked_and_removed(client, erp, settings, tmp_path):
    import io

    from PIL import Image

    from tandem.catalog.models import ProductImage

    settings.MEDIA_ROOT = tmp_path
    headers = _key(erp)
    _put(client, "/products", {"items": [_item(1)]}, headers)
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, format="PNG")

    response = client.post(
        "/api/v1/products/ERP-1/images",
        {"file": SimpleUploadedFile("photo.png", buffer.getvalue()), "alt": "Cable drum"},
        **headers,
    )

    assert response.status_code == 201, response.content
    image = ProductImage.objects.get(product__external_id="ERP-1")
    assert (image.alt, image.image.name.endswith(".png")) == ("Cable drum", True)
    fake = client.post(
        "/api/v1/products/ERP-1/images", {"file": SimpleUploadedFile("x.png", b"<?php evil ?>")}, **headers
    )
    assert fake.status_code == 400 and fake.json()["code"] == "image_type"
    missing = client.post(
        "/api/v1/products/NOPE/images", {"file": SimpleUploadedFile("p.png", buffer.getvalue())}, **headers
    )
    assert missing.status_code == 404
    assert client.delete(f"/api/v1/products/ERP-1/images/{image.pk}", **headers).status_code == 204
    assert not ProductImage.objects.exists()
