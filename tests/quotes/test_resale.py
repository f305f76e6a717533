"""Resellers' offers for their own clients: the reseller's purchase prices plus its
mark-up, under its own name; the client's PDF never shows what the reseller pays."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader

from tandem.core.errors import NotFound, PermissionDenied
from tandem.customers.models import Company, CompanyRole, User
from tandem.pricing.models import PriceList, PriceListEntry, TaxClass, TaxRate
from tandem.quotes.errors import QuoteError
from tandem.quotes.models import ResellerOfferStatus
from tandem.quotes.resale_pdf import resale_offer_pdf
from tandem.quotes.resale_selectors import resale_offer_detail
from tandem.quotes.resale_services import (
    ResaleLineInput,
    ResaleOfferInput,
    company_logo_set,
    resale_offer_create,
    resale_offer_delete,
    resale_offer_finalize,
    resale_offer_update,
)
from tests.factories import make_company, make_company_user, make_product, make_user
from tests.quotes.conftest import TODAY

pytestmark = pytest.mark.django_db

RESELLER_NAME = "Żółw Dystrybucja — ООО «Ромашка»"
CLIENT_NAME = "Иван Петров, Łódź"


@pytest.fixture
def world(db):
    """A reseller that pays 80.00 for a drill (72.00 from 10), 50.00 for a saw and 33.33
    for a manual (8 % VAT); the merchant's list price of the drill is 100.00."""
    reseller = make_company(RESELLER_NAME, is_reseller=True, email="biuro@zolw.test")
    drill = make_product("Wiertarka udarowa", net="100.00", gross=None, stock=500).variants.get()
    saw = make_product("Пила дисковая", net="50.00", gross=None, stock=500).variants.get()
    manual = make_product("Podręcznik", net="33.33", gross=None, stock=500).variants.get()
    reduced = TaxClass.objects.create(code="reduced", name="Reduced")
    TaxRate.objects.create(tax_class=reduced, country="PL", rate=Decimal("8"))
    manual.tax_class = reduced
    manual.save()
    contract = PriceList.objects.create(code="zolw", name="Żółw contract", currency="PLN")
    contract.companies.add(reseller)
    PriceListEntry.objects.create(price_list=contract, variant=drill, min_quantity=1, price="80.00")
    PriceListEntry.objects.create(price_list=contract, variant=drill, min_quantity=10, price="72.00")
    return {
        "reseller": reseller,
        "drill": drill,
        "saw": saw,
        "manual": manual,
        "admin": make_company_user(reseller, CompanyRole.ADMIN, email="admin@zolw.test"),
        "buyer": make_company_user(reseller, CompanyRole.BUYER, email="buyer@zolw.test"),
    }


def details(world, **fields) -> ResaleOfferInput:
    """10 drills and a manual at the overall 25 %, 3 saws at their own 12.5 %."""
    lines = fields.pop(
        "lines",
        [
            ResaleLineInput(world["drill"].sku, 10),
            ResaleLineInput(world["saw"].sku, "3", markup_percent="12,5"),
            ResaleLineInput(world["manual"].sku, 1),
        ],
    )
    return ResaleOfferInput(
        **{
            "client_name": CLIENT_NAME,
            "client_details": "ul. Piotrkowska 1, 90-001 Łódź\nNIP 7251801126",
            "language": "pl",
            "markup_percent": "25",
            "valid_until": TODAY + timedelta(days=14),
            "notes": "Dostawa w 3 dni.",
            "lines": lines,
            **fields,
        }
    )


def png(width: int = 40, height: int = 20) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


# --- pricing --------------------------------------------------------------------------------


def test_sale_prices_are_the_resellers_own_prices_plus_the_line_or_overall_markup(world):
    offer = resale_offer_create(user=world["buyer"], details=details(world))

    assert [
        (
            line.sku,
            line.quantity,
            line.purchase_price,
            line.markup_percent,
            line.sale_price,
            line.tax_rate,
            line.line_net,
        )
        for line in offer.lines.all()
    ] == [
        (world["drill"].sku, 10, Decimal("72.00"), None, Decimal("90.00"), Decimal("23"), Decimal("900.00")),
        (
            world["saw"].sku,
            3,
            Decimal("50.00"),
            Decimal("12.50"),
            Decimal("56.25"),
            Decimal("23"),
            Decimal("168.75"),
        ),
        (world["manual"].sku, 1, Decimal("33.33"), None, Decimal("41.66"), Decimal("8"), Decimal("41.66")),
    ]
    assert (offer.status, offer.number, offer.currency) == (ResellerOfferStatus.DRAFT, "", "PLN")
    assert (offer.total_net, offer.total_tax, offer.total_gross) == (
        Decimal("1110.41"),
        Decimal("249.14"),
        Decimal("1359.55"),
    )
    assert offer.tax_summary == [
        {"rate": "23", "net": "1068.75", "tax": "245.81", "gross": "1314.56"},
        {"rate": "8", "net": "41.66", "tax": "3.33", "gross": "44.99"},
    ]


def test_saving_a_draft_reads_the_purchase_price_again_at_the_new_quantity(world):
    offer = resale_offer_create(user=world["buyer"], details=details(world))

    resale_offer_update(
        user=world["buyer"],
        offer_id=offer.pk,
        details=details(world, lines=[ResaleLineInput(world["drill"].sku, 2)]),
    )

    line = offer.lines.get()
    assert (line.purchase_price, line.sale_price, line.line_net) == (
        Decimal("80.00"),
        Decimal("100.00"),
        Decimal("200.00"),
    )
    offer.refresh_from_db()
    assert (offer.total_net, offer.total_gross) == (Decimal("200.00"), Decimal("246.00"))


def test_bad_lines_are_all_named_and_nothing_is_saved(world):
    bad = [
        ResaleLineInput("NOPE", 1),
        ResaleLineInput(world["drill"].sku, "0"),
        ResaleLineInput(world["saw"].sku, 1, markup_percent="abc"),
        ResaleLineInput(world["saw"].sku, 1, markup_percent="1000.01"),
        ResaleLineInput(world["manual"].sku, "2.5"),
    ]

    with pytest.raises(QuoteError) as error:
        resale_offer_create(user=world["buyer"], details=details(world, lines=bad))

    assert error.value.code == "lines_invalid"
    assert [(line["line"], line["code"]) for line in error.value.lines] == [
        (1, "unknown_sku"),
        (2, "quantity_not_positive"),
        (3, "markup_invalid"),
        (4, "markup_invalid"),
        (5, "quantity_invalid"),
    ]
    assert not world["reseller"].resale_offers.exists()


def test_a_resale_line_must_respect_the_items_quantity_rules(world):
    """The reseller will buy what it offers from the merchant: a saw sold in fours cannot be
    offered by the three (the rule merchant offers follow, ``quotes.line_pricing``)."""
    saw = world["saw"]
    saw.quantity_step = 4
    saw.save()

    with pytest.raises(QuoteError) as error:
        resale_offer_create(user=world["buyer"], details=details(world))

    assert [(line["line"], line["sku"]) for line in error.value.lines] == [(2, saw.sku)]
    assert error.value.lines[0]["code"].startswith("quantity")


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"client_name": "  "}, "client_name_required"),
        ({"markup_percent": "-1"}, "markup_invalid"),
        ({"language": "de"}, "language_invalid"),
        ({"valid_until": TODAY - timedelta(days=1)}, "validity_invalid"),
    ],
    ids=["no client", "negative mark-up", "unknown language", "validity in the past"],
)
def test_the_offer_itself_is_checked(world, fields, code):
    with pytest.raises(QuoteError) as error:
        resale_offer_create(user=world["buyer"], details=details(world, **fields))
    assert error.value.code == code


def test_an_item_not_sold_to_the_reseller_is_an_unknown_sku(world):
    hidden = make_product("B2C only", gross="10.00", net=None, visibility="b2c").variants.get()
    with pytest.raises(QuoteError) as error:
        resale_offer_create(
            user=world["buyer"], details=details(world, lines=[ResaleLineInput(hidden.sku, 1)])
        )
    assert [line["code"] for line in error.value.lines] == ["unknown_sku"]


# --- who may ---------------------------------------------------------------------------------


def _user(world, who: str):
    if who == "non-reseller admin":
        return make_company_user(make_company("Plain Buyer"), CompanyRole.ADMIN)
    if who == "accountant":
        return make_company_user(world["reseller"], CompanyRole.ACCOUNTANT)
    if who == "inactive member":
        return make_company_user(world["reseller"], CompanyRole.BUYER, is_active=False)
    if who == "staff":
        return make_user("rep@shop.test", is_staff=True)
    Company.objects.filter(pk=world["reseller"].pk).update(is_reseller=False)  # no longer a reseller
    return User.objects.get(pk=world["buyer"].pk)


@pytest.mark.parametrize(
    "who", ["non-reseller admin", "accountant", "inactive member", "staff", "former reseller"]
)
def test_only_active_non_accountant_users_of_a_reseller_may_build_offers(world, who):
    with pytest.raises(PermissionDenied):
        resale_offer_create(user=_user(world, who), details=details(world))


def test_another_resellers_offer_is_not_found(world):
    offer = resale_offer_create(user=world["buyer"], details=details(world))
    other = make_company_user(make_company("Inny Dealer", is_reseller=True), CompanyRole.ADMIN)

    for action in (
        lambda: resale_offer_update(user=other, offer_id=offer.pk, details=details(world)),
        lambda: resale_offer_finalize(user=other, offer_id=offer.pk),
        lambda: resale_offer_delete(user=other, offer_id=offer.pk),
    ):
        with pytest.raises(NotFound):
            action()
    assert offer.lines.count() == 3


# --- finalizing -----------------------------------------------------------------------------


def test_final_offers_are_numbered_gaplessly_per_reseller_and_fixed(world):
    first = resale_offer_create(user=world["buyer"], details=details(world))
    dropped = resale_offer_create(user=world["buyer"], details=details(world))
    second = resale_offer_create(user=world["admin"], details=details(world))
    resale_offer_delete(user=world["buyer"], offer_id=dropped.pk)
    other = make_company_user(make_company("Inny Dealer", is_reseller=True), CompanyRole.BUYER)
    theirs = resale_offer_create(user=other, details=details(world))

    numbers = [
        resale_offer_finalize(user=user, offer_id=offer.pk).number
        for user, offer in ((world["buyer"], first), (world["buyer"], second), (other, theirs))
    ]

    year = TODAY.year
    assert numbers == [f"OF/{year}/00001", f"OF/{year}/00002", f"OF/{year}/00001"]
    with pytest.raises(QuoteError) as error:
        resale_offer_update(user=world["buyer"], offer_id=first.pk, details=details(world))
    assert error.value.code == "offer_final"


def test_an_offer_is_finalized_only_with_lines_and_a_validity_date(world):
    empty = resale_offer_create(user=world["buyer"], details=details(world, lines=[]))
    undated = resale_offer_create(user=world["buyer"], details=details(world, valid_until=None))
    codes = []
    for offer in (empty, undated):
        with pytest.raises(QuoteError) as error:
            resale_offer_finalize(user=world["buyer"], offer_id=offer.pk)
        codes.append(error.value.code)
    assert codes == ["offer_empty", "validity_invalid"]


# --- the PDF --------------------------------------------------------------------------------


def test_the_pdf_is_the_resellers_with_sale_prices_only(world):
    offer = resale_offer_create(user=world["buyer"], details=details(world))
    offer = resale_offer_finalize(user=world["buyer"], offer_id=offer.pk)

    content = resale_offer_pdf(offer)

    text = pdf_text(content)
    for expected in (
        RESELLER_NAME,
        "VAT",
        world["reseller"].vat_id,
        CLIENT_NAME,
        "NIP 7251801126",
        offer.number,
        "Пила дисковая",
        "90,00",
        "56,25",
        "41,66",
        "900,00",
        "168,75",
        "245,81",
        "3,33",
        "Dostawa w 3 dni.",
    ):
        assert expected in text, expected
    assert "Razem brutto 1\xa0359,55 PLN" in text  # the gross total, grouped the Polish way
    for hidden in ("72,00", "50,00", "33,33", "12,5", settings.SHOP_NAME, "Przykładowa"):
        assert hidden not in text, hidden
    metadata = PdfReader(io.BytesIO(content)).metadata
    assert metadata.creator == RESELLER_NAME and settings.SHOP_NAME not in str(dict(metadata))


def test_the_pdf_carries_the_resellers_logo(world):
    company_logo_set(user=world["admin"], content=png())
    offer = resale_offer_create(user=world["buyer"], details=details(world))

    reader = PdfReader(io.BytesIO(resale_offer_pdf(resale_offer_detail(world["buyer"], offer.pk))))

    assert len(reader.pages[0].images) == 1


def test_a_logo_file_gone_from_storage_leaves_the_pdf_without_it(world):
    company = company_logo_set(user=world["admin"], content=png())
    company.logo.storage.delete(company.logo.name)
    offer = resale_offer_create(user=world["buyer"], details=details(world))
    offer = resale_offer_detail(world["buyer"], offer.pk)

    reader = PdfReader(io.BytesIO(resale_offer_pdf(offer)))

    assert offer.company.logo  # still named, but the file is gone

    assert len(reader.pages[0].images) == 0


# --- the logo --------------------------------------------------------------------------------


def _image_bytes(kind: str) -> bytes:
    if kind == "gif":
        buffer = io.BytesIO()
        Image.new("RGB", (10, 10)).save(buffer, format="GIF")
        return buffer.getvalue()
    return {
        "text": b"not an image at all",
        "truncated png": png()[:60],
        "oversized file": png() + b"\0" * (1024 * 1024),
        "too many pixels": png(2001, 10),
    }[kind]


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("text", "logo_type"),
        ("gif", "logo_type"),
        ("truncated png", "logo_type"),
        ("oversized file", "logo_too_large"),
        ("too many pixels", "logo_too_big"),
    ],
)
def test_a_logo_must_be_a_small_png_or_jpeg(world, kind, code):
    with pytest.raises(QuoteError) as error:
        company_logo_set(user=world["admin"], content=_image_bytes(kind))
    assert error.value.code == code
    world["reseller"].refresh_from_db()
    assert not world["reseller"].logo


def test_the_company_admin_uploads_the_logo_on_the_company_page(client, world):
    client.force_login(world["admin"])

    page = client.get("/account/company/")
    response = client.post(
        "/account/company/logo/", {"logo": SimpleUploadedFile("logo.png", png(), content_type="image/png")}
    )

    assert 'data-testid="logo-form"' in page.text
    assert response.status_code == 302 and response["Location"] == "/account/company/#logo"
    world["reseller"].refresh_from_db()
    assert world["reseller"].logo.name.startswith("companies/logos/company-")


@pytest.mark.parametrize("upload", ["text", "oversized file"])
def test_a_bad_logo_upload_is_refused_with_a_message(client, world, upload):
    client.force_login(world["admin"])

    response = client.post(
        "/account/company/logo/",
        {"logo": SimpleUploadedFile("logo.png", _image_bytes(upload), content_type="image/png")},
        follow=True,
    )

    assert response.status_code == 200
    assert "PNG or JPEG" in response.text or "1 MB" in response.text
    world["reseller"].refresh_from_db()
    assert not world["reseller"].logo


def test_only_a_resellers_admin_sets_the_logo(client, world):
    plain_admin = make_company_user(make_company("Plain Buyer"), CompanyRole.ADMIN)
    for user in (world["buyer"], plain_admin):
        client.force_login(user)
        client.post("/account/company/logo/", {"logo": SimpleUploadedFile("logo.png", png())})
    assert not Company.objects.filter(logo__gt="").exists()
    client.force_login(plain_admin)
    assert 'data-testid="logo-form"' not in client.get("/account/company/").text


# --- pages ------------------------------------------------------------------------------------


def test_a_reseller_builds_an_offer_on_the_pages(client, world):
    client.force_login(world["buyer"])

    response = client.post(
        "/account/resale-offers/new/",
        {
            "client_name": CLIENT_NAME,
            "client_details": "Łódź",
            "language": "pl",
            "markup_percent": "25",
            "valid_until": (TODAY + timedelta(days=7)).isoformat(),
            "notes": "",
            "sku": [world["drill"].sku, world["saw"].sku, ""],
            "quantity": ["10", "3", ""],
            "line_markup": ["", "12.5", ""],
        },
    )

    offer = world["reseller"].resale_offers.get()
    assert response.status_code == 302 and response["Location"] == f"/account/resale-offers/{offer.pk}/"
    page = client.get(response["Location"])
    assert 'data-testid="purchase-price">72.00 PLN' in page.text
    assert 'data-testid="sale-price"><strong>90.00 PLN' in page.text
    assert client.post(f"/account/resale-offers/{offer.pk}/finalize/").status_code == 302
    pdf = client.get(f"/account/resale-offers/{offer.pk}.pdf")
    assert pdf["Content-Type"] == "application/pdf" and CLIENT_NAME in pdf_text(pdf.content)
    offer.refresh_from_db()
    assert offer.number in client.get("/account/resale-offers/").text
    final_page = client.get(f"/account/resale-offers/{offer.pk}/")
    assert offer.number in final_page.text and 'data-testid="resale-form"' not in final_page.text


def test_bad_input_on_the_page_is_a_400_naming_the_lines(client, world):
    client.force_login(world["buyer"])

    response = client.post(
        "/account/resale-offers/new/",
        {
            "client_name": CLIENT_NAME,
            "markup_percent": "25",
            "valid_until": "2026-13-45",
            "sku": ["NOPE", world["drill"].sku],
            "quantity": ["1", "x"],
            "line_markup": ["", ""],
        },
    )

    assert response.status_code == 400 and 'data-testid="quote-problem"' in response.text


def test_a_bad_line_on_the_page_is_named(client, world):
    client.force_login(world["buyer"])

    response = client.post(
        "/account/resale-offers/new/",
        {
            "client_name": CLIENT_NAME,
            "markup_percent": "25",
            "sku": ["NOPE", world["drill"].sku],
            "quantity": ["1", "x"],
            "line_markup": ["", ""],
        },
    )

    assert response.status_code == 400 and "<code>NOPE</code>" in response.text
    assert "“x” is not a whole number." in response.text


@pytest.mark.parametrize("path", ["/account/resale-offers/{pk}/", "/account/resale-offers/{pk}.pdf"])
def test_another_resellers_offer_page_is_a_404(client, world, path):
    offer = resale_offer_create(user=world["buyer"], details=details(world))
    client.force_login(make_company_user(make_company("Inny Dealer", is_reseller=True), CompanyRole.ADMIN))

    assert client.get(path.format(pk=offer.pk)).status_code == 404


def test_an_accountant_is_told_offers_are_not_for_them(client, world):
    client.force_login(make_company_user(world["reseller"], CompanyRole.ACCOUNTANT))

    response = client.get("/account/resale-offers/")

    assert response.status_code == 403 and 'data-testid="resale-refused"' in response.text


# --- the API ----------------------------------------------------------------------------------


def api_payload(world, **fields) -> dict:
    return {
        "client_name": CLIENT_NAME,
        "language": "en",
        "markup_percent": "25",
        "valid_until": (TODAY + timedelta(days=7)).isoformat(),
        "lines": [
            {"sku": world["drill"].sku, "quantity": 10},
            {"sku": world["saw"].sku, "quantity": 3, "markup_percent": "12.5"},
        ],
        **fields,
    }


def test_the_api_builds_finalizes_and_prints_an_offer(client, world):
    client.force_login(world["buyer"])

    created = client.post("/api/v1/resale-offers", api_payload(world), content_type="application/json")
    offer_id = created.json()["id"]
    final = client.post(f"/api/v1/resale-offers/{offer_id}/finalize")
    pdf = client.get(f"/api/v1/resale-offers/{offer_id}.pdf")

    assert created.status_code == 201
    assert [
        (line["purchase_price"], line["effective_markup_percent"], line["sale_price"])
        for line in created.json()["lines"]
    ] == [("72.00", "25.00", "90.00"), ("50.00", "12.50", "56.25")]
    assert created.json()["total_net"] == "1068.75" and created.json()["total_gross"] == "1314.56"
    assert final.status_code == 200 and final.json()["number"] == f"OF/{TODAY.year}/00001"
    assert pdf.status_code == 200 and "1,314.56 PLN" in pdf_text(pdf.content)


def test_the_api_names_bad_lines(client, world):
    client.force_login(world["buyer"])

    response = client.post(
        "/api/v1/resale-offers",
        api_payload(world, lines=[{"sku": "NOPE", "quantity": 1}]),
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["lines"] == [
        {"line": 1, "sku": "NOPE", "code": "unknown_sku", "message": "Unknown SKU, or not sold to you."}
    ]


def test_the_api_refuses_accountants_and_hides_other_resellers_offers(client, world):
    offer = resale_offer_create(user=world["buyer"], details=details(world))
    client.force_login(make_company_user(world["reseller"], CompanyRole.ACCOUNTANT))
    refused = client.get("/api/v1/resale-offers")
    client.force_login(make_company_user(make_company("Inny Dealer", is_reseller=True), CompanyRole.ADMIN))

    assert refused.status_code == 403 and refused.json()["code"] == "role_cannot_offer"
    assert client.get(f"/api/v1/resale-offers/{offer.pk}").status_code == 404
    assert (
        client.put(
            f"/api/v1/resale-offers/{offer.pk}", api_payload(world), content_type="application/json"
        ).status_code
        == 404
    )
    assert client.get("/api/v1/resale-offers").json() == []


def test_an_amount_beyond_what_the_offer_can_hold_is_a_named_line(world):
    crane = make_product("Żuraw", net="9999999.00", gross=None, stock=5).variants.get()

    with pytest.raises(QuoteError) as error:
        resale_offer_create(
            user=world["buyer"], details=details(world, lines=[ResaleLineInput(crane.sku, 1_000_000)])
        )

    assert [line["code"] for line in error.value.lines] == ["amount_too_large"]
