"""File imports run by the worker: the same checks as the write API, a bad row named by its
line and column, all or nothing unless row by row, dry runs, progress, the admin's page."""

import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tandem.catalog.models import ImportJob, Product, Variant
from tandem.customers.api_auth import api_token_create
from tandem.customers.models import Company
from tandem.inventory.models import StockItem, Warehouse
from tandem.pricing.models import BasePrice
from tests.factories import make_category, make_company, make_company_user, make_product, standard_tax

pytestmark = pytest.mark.django_db

PRODUCTS_CSV = (
    "external_id,name,name_pl,category,sku,variant_name,tax_class,unit,price_b2b,currency,warehouse,on_hand\n"
    "ERP-1,Copper cable,Kabel miedziany,cables,CAB-1,1.5 mm,standard,m,4.10,PLN,MAIN,1200\n"
    "ERP-1,Copper cable,Kabel miedziany,cables,CAB-2,2.5 mm,standard,m,6.20,PLN,MAIN,800\n"
    "ERP-2,Drill,,cables,DR-1,,standard,pcs,99.00,PLN,MAIN,5\n"
)


@pytest.fixture
def erp(staff_admin, django_capture_on_commit_callbacks):
    standard_tax()
    make_category("Cables", slug="cables")
    Warehouse.objects.get_or_create(code="MAIN", defaults={"name": "Main", "country": "PL"})
    _token, key = api_token_create(
        user=staff_admin,
        name="ERP",
        scopes=["catalog:write", "stock:write", "prices:write", "customers:write"],
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _import(client, headers, captured, kind, name, content, **fields):
    upload = SimpleUploadedFile(name, content.encode() if isinstance(content, str) else content)
    with captured(execute=True):  # the worker runs the queued job when the request commits
        response = client.post("/api/v1/imports", {"kind": kind, "file": upload, **fields}, **headers)
    assert response.status_code == 202, response.content
    return client.get(f"/api/v1/imports/{response.json()['id']}", **headers).json()


def test_a_products_file_becomes_products_with_variants_prices_and_stock(
    client, erp, django_capture_on_commit_callbacks
):
    job = _import(client, erp, django_capture_on_commit_callbacks, "products", "products.csv", PRODUCTS_CSV)

    assert (job["status"], job["rows_total"], job["rows_done"], job["progress"]) == ("done", 3, 3, 100)
    assert (job["created"], job["failed"]) == (2, 0)
    cable = Product.objects.get(external_id="ERP-1")
    assert sorted(cable.variants.values_list("sku", "name")) == [("CAB-1", "1.5 mm"), ("CAB-2", "2.5 mm")]
    assert cable.tr("name", "pl") == "Kabel miedziany"
    assert BasePrice.objects.get(variant__sku="CAB-2", channel="b2b").amount == Decimal("6.20")
    assert StockItem.objects.get(variant__sku="CAB-1").on_hand == 1200

    again = _import(client, erp, django_capture_on_commit_callbacks, "products", "products.csv", PRODUCTS_CSV)
    assert (again["unchanged"], again["created"], again["updated"]) == (2, 0, 0)


def test_a_bad_row_is_named_by_line_and_column_and_nothing_is_written(
    client, erp, django_capture_on_commit_callbacks
):
    bad = PRODUCTS_CSV.replace("CAB-2,2.5 mm,standard", "CAB-2,2.5 mm,luxury").replace(
        "DR-1,,standard,pcs,99.00", "DR-1,,standard,pcs,abc"
    )

    job = _import(client, erp, django_capture_on_commit_callbacks, "products", "products.csv", bad)

    assert job["status"] == "failed" and "nothing was written" in job["message"]
    assert {(error["row"], error["column"]) for error in job["errors"]} == {(4, "price"), (3, "tax_class")}
    assert not Product.objects.filter(external_id__in=["ERP-1", "ERP-2"]).exists()
    report = client.get(f"/api/v1/imports/{job['id']}/errors.csv", **erp)
    assert b"row,column,code,message" in b"".join(report.streaming_content)

    row_by_row = _import(
        client, erp, django_capture_on_commit_callbacks, "products", "products.csv", bad, mode="per_item"
    )
    assert row_by_row["status"] == "done" and row_by_row["failed"] >= 1
    assert Product.objects.filter(external_id="ERP-1").exists() is False  # its second row is bad: the product
    assert not Variant.objects.filter(sku="DR-1").exists()


def test_a_dry_run_checks_and_writes_nothing(client, erp, django_capture_on_commit_callbacks):
    job = _import(
        client,
        erp,
        django_capture_on_commit_callbacks,
        "products",
        "products.csv",
        PRODUCTS_CSV,
        dry_run="true",
    )
    assert (job["status"], job["created"], job["dry_run"]) == ("done", 2, True)
    assert not Product.objects.filter(external_id="ERP-1").exists()


def test_stock_prices_and_companies_files_and_json_lines(client, erp, django_capture_on_commit_callbacks):
    variant = make_product(stock=3).variants.get()
    stock = _import(
        client,
        erp,
        django_capture_on_commit_callbacks,
        "stock",
        "stock.csv",
        f"sku,warehouse,on_hand\n{variant.sku},MAIN,42\n",
    )
    assert stock["updated"] == 1 and StockItem.objects.get(variant=variant).on_hand == 42
    prices = _import(
        client,
        erp,
        django_capture_on_commit_callbacks,
        "prices",
        "prices.jsonl",
        json.dumps({"sku": variant.sku, "currency": "EUR", "channel": "b2b", "amount": "9.90"}) + "\n",
    )
    assert prices["created"] == 1
    companies = _import(
        client,
        erp,
        django_capture_on_commit_callbacks,
        "companies",
        "companies.csv",
        "external_id,name,vat_id,country,street,postal_code,city,colour\n"
        "K-1,ACME,PL7740001454,PL,Długa 1,00-001,Warszawa,red\n",
    )
    assert (
        companies["status"] == "failed" and companies["errors"][0]["column"] == "colour"
    )  # an unknown column
    assert not Company.objects.filter(external_id="K-1").exists()


def test_who_may_import(client, erp, staff_admin):
    buyer = make_company_user(make_company())
    _token, key = api_token_create(user=buyer, name="x", scopes=["catalog:write"])
    upload = SimpleUploadedFile("p.csv", PRODUCTS_CSV.encode())
    refused = client.post(
        "/api/v1/imports", {"kind": "products", "file": upload}, HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert refused.status_code == 403  # not merchant staff
    _token, catalog_only = api_token_create(user=staff_admin, name="y", scopes=["catalog:write"])
    stock_file = SimpleUploadedFile("s.csv", b"sku,warehouse,on_hand\n")
    no_scope = client.post(
        "/api/v1/imports", {"kind": "stock", "file": stock_file}, HTTP_AUTHORIZATION=f"Bearer {catalog_only}"
    )
    assert no_scope.status_code == 403 and no_scope.json()["code"] == "insufficient_scope"


def test_the_admin_queues_an_import_and_shows_its_progress(
    client, staff_admin, erp, django_capture_on_commit_callbacks
):
    client.force_login(staff_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/catalog/importjob/add/",
            {
                "kind": "products",
                "file": SimpleUploadedFile("products.csv", PRODUCTS_CSV.encode()),
                "per_item": "on",
            },
        )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert (job.status, job.created_count, job.created_by) == ("done", 2, staff_admin)
    page = client.get(f"/admin/catalog/importjob/{job.pk}/change/")
    assert page.status_code == 200 and b"<progress" in page.content
    assert client.get("/admin/catalog/importjob/").status_code == 200


def test_a_file_asks_the_same_rights_as_the_api_and_imports_are_seen_by_who_may(
    client, erp, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Permission

    from tests.factories import make_user

    clerk = make_user("clerk@shop.test", is_staff=True)  # may write products, not prices or stock
    clerk.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["add_product", "change_product", "add_variant", "change_variant"]
        )
    )
    _token, key = api_token_create(user=clerk, name="PIM", scopes=["catalog:write"])
    job = _import(
        client,
        {"HTTP_AUTHORIZATION": f"Bearer {key}"},
        django_capture_on_commit_callbacks,
        "products",
        "products.csv",
        PRODUCTS_CSV,
    )
    assert job["status"] == "failed" and "pricing.add_baseprice" in job["message"]
    assert not Product.objects.filter(external_id="ERP-1").exists()

    theirs = _import(
        client, erp, django_capture_on_commit_callbacks, "stock", "s.csv", "sku,warehouse,on_hand\n"
    )
    assert (
        client.get(f"/api/v1/imports/{theirs['id']}", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 404
    )
