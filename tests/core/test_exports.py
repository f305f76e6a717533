"""Exports as jobs: written by the worker for the user who asked, scoped as on every other
surface, in CSV, XLSX or JSON Lines; an exported catalogue, price list, stock list or
company list imports back unchanged."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from tandem.checkout.services import order_place
from tandem.core.exports import exports_expire
from tandem.core.models import AuditEntry, ExportJob
from tandem.customers.api_auth import api_token_create
from tandem.customers.models import CompanyRole
from tandem.customers.roles import staff_roles_sync
from tandem.inventory.models import Warehouse
from tests.checkout.conftest import company_details
from tests.factories import (
    company_address,
    make_cart,
    make_category,
    make_company,
    make_company_user,
    make_delivery,
    make_product,
    make_user,
    standard_tax,
    user_context,
)

pytestmark = pytest.mark.django_db

PRODUCTS_CSV = (
    "external_id,name,name_pl,description_bg,category,brand,sku,gtin,variant_name,tax_class,unit,"
    "pack_size,min_quantity,quantity_step,price_b2b,price_b2c,currency,warehouse,on_hand\n"
    "ERP-1,Copper cable,Kabel miedziany,Меден кабел,cables,Cu,CAB-1,5901234123457,1.5 mm,standard,m,"
    "1,10,5,4.10,5.04,PLN,MAIN,1200\n"
    "ERP-1,Copper cable,Kabel miedziany,Меден кабел,cables,Cu,CAB-2,,2.5 mm,standard,m,"
    "1,1,1,6.20,,PLN,MAIN,800\n"
    'ERP-2,=Drill,,"Line one.\n\nLine two.",cables,,DR-1,,,standard,pcs,1,1,1,99.00,,PLN,SIDE,5\n'
)
COMPANIES_JSONL = json.dumps(
    {
        "external_id": "K-1",
        "name": "Budmax",
        "vat_id": "PL5260250995",
        "country": "PL",
        "street": "Prosta 1",
        "postal_code": "00-001",
        "city": "Warszawa",
        "credit_limit": "5000.00",
        "addresses": [
            {
                "external_id": "S-1",
                "kind": "delivery",
                "recipient": "Budmax Magazyn",
                "street": "Krzywa 2",
                "postal_code": "00-002",
                "city": "Warszawa",
                "country": "PL",
            }
        ],
    }
)


@pytest.fixture
def erp(staff_admin):
    standard_tax()
    make_category("Cables", slug="cables")
    for code in ("MAIN", "SIDE"):
        Warehouse.objects.get_or_create(code=code, defaults={"name": code, "country": "PL"})
    _token, key = api_token_create(
        user=staff_admin,
        name="ERP",
        scopes=[
            "catalog:read",
            "catalog:write",
            "stock:write",
            "prices:write",
            "customers:write",
            "customers:read",
        ],
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _import(client, headers, captured, kind, name, content):
    upload = SimpleUploadedFile(name, content if isinstance(content, bytes) else content.encode())
    with captured(execute=True):
        response = client.post("/api/v1/imports", {"kind": kind, "file": upload}, **headers)
    assert response.status_code == 202, response.content
    return client.get(f"/api/v1/imports/{response.json()['id']}", **headers).json()


def _export(client, headers, captured, kind, file_format="csv", **fields):
    """Ask for an export, let the worker write it; (job, file bytes)."""
    with captured(execute=True):
        response = client.post(
            "/api/v1/exports",
            {"kind": kind, "format": file_format, **fields},
            content_type="application/json",
            **headers,
        )
    assert response.status_code == 202, response.content
    job = client.get(f"/api/v1/exports/{response.json()['id']}", **headers).json()
    assert job["status"] == "done", job
    download = client.get(job["file_url"], **headers)
    assert download.status_code == 200
    return job, b"".join(download.streaming_content)


def _csv_rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_exported_products_prices_stock_and_companies_import_back_unchanged(
    client, erp, django_capture_on_commit_callbacks
):
    captured = django_capture_on_commit_callbacks
    assert _import(client, erp, captured, "products", "products.csv", PRODUCTS_CSV)["created"] == 2
    assert _import(client, erp, captured, "companies", "companies.jsonl", COMPANIES_JSONL)["created"] == 1

    for kind, name, file_format, count in (
        ("products", "products.csv", "csv", 2),
        ("products", "products.xlsx", "xlsx", 2),
        ("products", "products.jsonl", "jsonl", 2),
        ("prices", "prices.csv", "csv", 4),
        ("stock", "stock.xlsx", "xlsx", 3),
        ("companies", "companies.csv", "csv", 1),
        ("companies", "companies.jsonl", "jsonl", 1),
    ):
        _job, content = _export(client, erp, captured, kind, file_format)
        again = _import(client, erp, captured, kind, name, content)
        assert (again["status"], again["failed"], again["created"], again["updated"]) == ("done", 0, 0, 0), (
            kind,
            file_format,
            again["errors"][:3],
        )
        assert again["unchanged"] == count, (kind, file_format)


def test_a_products_export_has_the_import_columns_translations_and_formula_safe_text(
    client, erp, django_capture_on_commit_callbacks
):
    captured = django_capture_on_commit_callbacks
    _import(client, erp, captured, "products", "products.csv", PRODUCTS_CSV)

    job, content = _export(client, erp, captured, "products")

    rows = _csv_rows(content)
    assert (job["rows_total"], job["rows_done"], job["progress"]) == (3, 3, 100)
    cable = next(row for row in rows if row["sku"] == "CAB-1")
    assert (cable["external_id"], cable["name_pl"], cable["description_bg"]) == (
        "ERP-1",
        "Kabel miedziany",
        "Меден кабел",
    )
    assert (cable["min_quantity"], cable["quantity_step"], cable["b2b_restricted"]) == ("10", "5", "false")
    drill = next(row for row in rows if row["sku"] == "DR-1")
    assert drill["name"] == "'=Drill"  # a spreadsheet shows it, does not run it
    assert drill["description_bg"] == "Line one.\n\nLine two."  # line breaks kept
    assert AuditEntry.objects.filter(action="export.products").exists()

    _job, lines = _export(client, erp, captured, "products", "jsonl")
    products = [json.loads(line) for line in lines.decode().splitlines()]
    assert [len(product["variants"]) for product in products] == [2, 1]
    assert products[0]["translations"]["pl"]["name"] == "Kabel miedziany"

    _job, workbook = _export(client, erp, captured, "stock", "xlsx")
    sheet = load_workbook(io.BytesIO(workbook)).active
    assert [cell.value for cell in sheet[1]] == ["sku", "warehouse", "on_hand"]
    assert ["CAB-1", "MAIN", 1200] in [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]


def test_changed_since_narrows_the_export_and_is_refused_where_rows_have_no_dates(
    client, erp, django_capture_on_commit_callbacks
):
    captured = django_capture_on_commit_callbacks
    _import(client, erp, captured, "products", "products.csv", PRODUCTS_CSV)

    job, content = _export(client, erp, captured, "products", updated_since="2999-01-01T00:00:00Z")
    assert job["rows_total"] == 0 and _csv_rows(content) == []

    refused = client.post(
        "/api/v1/exports",
        {"kind": "stock", "updated_since": "2020-01-01T00:00:00Z"},
        content_type="application/json",
        **erp,
    )
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "updated_since"


class Shop:
    """Two reps' customers with an order each, a buyer of one of them."""

    def __init__(self):
        staff_roles_sync()
        make_delivery("courier", price_net="0.00")
        self.variant = make_product(net="100.00", gross="123.00", stock=100).variants.get()
        self.rep = self._staff("rep@shop.test", "Sales rep")
        self.rep2 = self._staff("rep2@shop.test", "Sales rep")
        self.acme = make_company("ACME", credit_limit=Decimal("100000"), sales_rep=self.rep)
        self.balkan = make_company("Balkan", credit_limit=Decimal("100000"), sales_rep=self.rep2)
        self.buyer = make_company_user(self.acme, CompanyRole.ADMIN, email="boss@acme.test")
        self.orders = {company.name: self._order(company) for company in (self.acme, self.balkan)}

    @staticmethod
    def _staff(email: str, role: str):
        user = make_user(email, is_staff=True)
        user.groups.set(Group.objects.filter(name=role))
        return user

    def _order(self, company):
        buyer = self.buyer if company == self.acme else make_company_user(company, CompanyRole.ADMIN)
        return order_place(
            cart=make_cart(lines=[(self.variant, 1)]),
            context=user_context(buyer),
            acting_user=buyer,
            details=company_details(company_address(company).pk),
        )


def _signed_in(client, user) -> dict:
    client.force_login(user)
    return {}


def test_a_sales_rep_exports_only_their_own_customers_and_their_orders(
    client, django_capture_on_commit_callbacks
):
    shop = Shop()
    headers = _signed_in(client, shop.rep)

    _job, companies = _export(client, headers, django_capture_on_commit_callbacks, "companies")
    _job, orders = _export(client, headers, django_capture_on_commit_callbacks, "orders")

    assert [row["name"] for row in _csv_rows(companies)] == ["ACME"]
    assert [row["Number"] for row in _csv_rows(orders)] == [shop.orders["ACME"].number]
    client.force_login(make_user("anna@shop.test"))  # a retail customer
    refused = client.post("/api/v1/exports", {"kind": "companies"}, content_type="application/json")
    assert refused.status_code == 403


def test_a_buyer_exports_their_own_company_orders_with_a_key_scoped_for_it(
    client, django_capture_on_commit_callbacks
):
    shop = Shop()
    _token, key = api_token_create(user=shop.buyer, name="Purchasing", scopes=["orders:read"])
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    job, orders = _export(client, headers, django_capture_on_commit_callbacks, "orders", "jsonl")

    assert [json.loads(line)["Number"] for line in orders.decode().splitlines()] == [
        shop.orders["ACME"].number
    ]
    refused = client.post("/api/v1/exports", {"kind": "invoices"}, content_type="application/json", **headers)
    assert (refused.status_code, refused.json()["code"]) == (403, "insufficient_scope")
    companies = client.post(
        "/api/v1/exports", {"kind": "companies"}, content_type="application/json", **headers
    )
    assert companies.status_code == 403
    # another user's export is not found, to a key and a session alike
    client.force_login(shop.rep)
    assert client.get(f"/api/v1/exports/{job['id']}").status_code == 404
    assert client.get(f"/api/v1/exports/{job['id']}/file").status_code == 404


def test_a_file_is_served_once_written_and_gone_after_its_days(
    client, staff_admin, django_capture_on_commit_callbacks
):
    client.force_login(staff_admin)
    queued = client.post("/api/v1/exports", {"kind": "orders"}, content_type="application/json").json()
    assert queued["status"] == "queued" and queued["file_url"] is None
    waiting = client.get(f"/api/v1/exports/{queued['id']}/file")
    assert (waiting.status_code, waiting.json()["code"]) == (409, "export_not_ready")

    job, _content = _export(client, {}, django_capture_on_commit_callbacks, "orders")
    stored = ExportJob.objects.get(pk=job["id"]).file
    assert stored.storage.exists(stored.name)
    assert exports_expire(keep_days=0) == "1 old export files removed"
    gone = client.get(f"/api/v1/exports/{job['id']}/file")
    assert (gone.status_code, gone.json()["code"]) == (410, "export_expired")
    assert not stored.storage.exists(stored.name)


def test_staff_ask_for_an_export_in_the_admin_and_see_only_their_own(
    client, django_capture_on_commit_callbacks
):
    shop = Shop()
    client.force_login(shop.rep)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/core/exportjob/add/", {"kind": "companies", "file_format": "csv", "updated_since": ""}
        )
    assert response.status_code == 302, response.content
    job = ExportJob.objects.get(created_by=shop.rep)
    listing = client.get("/admin/core/exportjob/").content.decode()
    assert f"companies-{job.pk}.csv" in listing
    download = client.get(f"/admin/core/exportjob/{job.pk}/download")
    assert [row["name"] for row in _csv_rows(b"".join(download.streaming_content))] == ["ACME"]
    client.force_login(Shop._staff("pack@shop.test", "Fulfilment"))
    form = client.get("/admin/core/exportjob/add/").content.decode()
    assert 'value="stock"' in form and 'value="prices"' not in form  # the kinds their rights allow
    assert '<option value="csv" selected>' in form  # a format chosen already

    client.force_login(shop.rep2)
    assert f"companies-{job.pk}.csv" not in client.get("/admin/core/exportjob/").content.decode()
    assert client.get(f"/admin/core/exportjob/{job.pk}/download").status_code == 404

    shop.rep.groups.clear()  # the rep loses the rights the file was made with
    client.force_login(shop.rep)
    assert client.get(f"/api/v1/exports/{job.pk}/file").status_code == 404
