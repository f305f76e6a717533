import pytest
from django.contrib.auth.models import Group

from tandem.catalog import selectors
from tandem.catalog.models import Category, Product
from tandem.core.models import AuditEntry
from tandem.customers.models import Company
from tandem.pricing.models import BasePrice
from tests.factories import b2c_context, make_category, make_company, make_product, make_user, standard_tax

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "catalog/product",
    "catalog/variant",
    "catalog/category",
    "catalog/attribute",
    "inventory/warehouse",
    "inventory/stockitem",
    "customers/company",
    "customers/companyuser",
    "customers/user",
    "customers/customergroup",
    "customers/pickupperson",
    "pricing/taxclass",
    "pricing/baseprice",
    "billing/paymentterms",
    "core/auditentry",
]


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_every_admin_list_and_add_page_opens(admin_client_tandem, page):
    make_product("Drill"), make_company("ACME")
    assert admin_client_tandem.get(f"/admin/{page}/").status_code == 200
    if page != "core/auditentry":
        assert admin_client_tandem.get(f"/admin/{page}/add/").status_code == 200


@pytest.fixture
def admin_client_tandem(client, staff_admin):
    client.force_login(staff_admin)
    return client


def product_form(category: Category, **overrides) -> dict:
    data = {
        "name": "Laser level LL-2",
        "slug": "laser-level-ll-2",
        "category": category.pk,
        "brand": "Ferrum",
        "description": "Green beam.",
        "is_active": "on",
        "visibility": "both",
        "name__pl": "Poziomica laserowa LL-2",
        "description__pl": "",
        "name__bg": "",
        "description__bg": "",
        "name__ru": "Лазерный уровень LL-2",
        "description__ru": "",
        "variants-TOTAL_FORMS": "1",
        "variants-INITIAL_FORMS": "0",
        "variants-MIN_NUM_FORMS": "0",
        "variants-MAX_NUM_FORMS": "1000",
        "variants-0-sku": "LL-2",
        "variants-0-gtin": "5901234123457",
        "variants-0-name": "",
        "variants-0-unit": "pcs",
        "variants-0-pack_size": "1",
        "variants-0-tax_class": standard_tax().pk,
        "variants-0-sort_order": "0",
        "variants-0-is_active": "on",
        "variants-0-min_quantity": "1",
        "variants-0-quantity_step": "1",
        "variants-0-max_quantity": "",
        "variants-0-name__pl": "",
        "variants-0-name__bg": "",
        "variants-0-name__ru": "",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_staff_create_a_product_with_translations_and_it_is_searchable(admin_client_tandem):
    category = make_category("Measuring")
    response = admin_client_tandem.post("/admin/catalog/product/add/", product_form(category))
    assert response.status_code == 302, response.context["adminform"].errors
    product = Product.objects.get(slug="laser-level-ll-2")
    assert product.translations == {
        "pl": {"name": "Poziomica laserowa LL-2"},
        "ru": {"name": "Лазерный уровень LL-2"},
    }
    for query in ("лазерный", "LL-2", "5901234123457"):
        found = selectors.product_listing(b2c_context(), query=query).cards
        assert [card.product for card in found] == [product], query


def test_an_invalid_gtin_is_a_field_error_naming_the_problem(admin_client_tandem):
    category = make_category("Measuring")
    response = admin_client_tandem.post(
        "/admin/catalog/product/add/", product_form(category, **{"variants-0-gtin": "5901234123456"})
    )
    assert response.status_code == 200
    assert "5901234123456 is not a valid EAN/GTIN" in response.text
    assert not Product.objects.exists()


def test_an_invalid_vat_id_is_a_field_error(admin_client_tandem):
    response = admin_client_tandem.post(
        "/admin/customers/company/add/",
        {
            "name": "Bad VAT",
            "vat_id": "PL1234567890",
            "country": "PL",
            "street": "S",
            "postal_code": "1",
            "city": "C",
            "credit_limit": "0",
            "currency": "PLN",
            "language": "pl",
            **{
                f"{prefix}-{key}": value
                for prefix in ("members", "addresses", "pickup_persons")
                for key, value in (
                    ("TOTAL_FORMS", "0"),
                    ("INITIAL_FORMS", "0"),
                    ("MIN_NUM_FORMS", "0"),
                    ("MAX_NUM_FORMS", "1000"),
                )
            },
        },
    )
    assert response.status_code == 200
    assert "PL1234567890 is not a valid VAT ID" in response.text
    assert not Company.objects.exists()


def test_changing_a_credit_limit_is_audited(admin_client_tandem, company, staff_admin):
    url = f"/admin/customers/company/{company.pk}/change/"
    form = admin_client_tandem.get(url).context["adminform"].form
    data = {
        name: ("" if value is None else value) for name, value in form.initial.items() if name in form.fields
    }
    data.update({"credit_limit": "25000", "payment_terms": company.payment_terms_id, "is_active": "on"})
    data.pop("is_reseller", None)
    data.pop("logo", None)
    data.pop("sales_rep", None), data.pop("customer_group", None)
    for prefix in ("members", "addresses", "pickup_persons"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = admin_client_tandem.post(url, data)
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="company.terms_changed")
    assert entry.actor == staff_admin
    assert entry.changes["credit_limit"] == {"before": "10000.00", "after": "25000"}


def test_changing_a_list_price_is_audited(admin_client_tandem):
    product = make_product("Drill", gross="100.00")
    price = BasePrice.objects.get(variant__product=product)
    response = admin_client_tandem.post(
        f"/admin/pricing/baseprice/{price.pk}/change/",
        {"variant": price.variant_id, "currency": "PLN", "channel": "b2c", "amount": "120.00"},
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="price.changed")
    assert entry.changes == {
        "currency": "PLN",
        "channel": "b2c",
        "before": {"amount": "100.00"},
        "after": {"amount": "120.00"},
    }


@pytest.mark.parametrize(
    ("role", "allowed", "refused"),
    [
        ("Catalog manager", "/admin/catalog/product/add/", "/admin/customers/company/add/"),
        ("Sales rep", "/admin/customers/company/", "/admin/catalog/product/add/"),
        ("Fulfilment", "/admin/inventory/stockitem/add/", "/admin/pricing/baseprice/add/"),
        ("Finance", "/admin/billing/paymentterms/add/", "/admin/catalog/product/add/"),
    ],
    ids=["catalog-manager", "sales-rep", "fulfilment", "finance"],
)
def test_staff_roles_grant_their_permissions_and_nothing_more(client, role, allowed, refused):
    user = make_user(is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    assert client.get(allowed).status_code == 200
    assert client.get(refused).status_code == 403


def test_customers_cannot_open_the_admin(client, customer):
    client.force_login(customer)
    assert client.get("/admin/").status_code == 302


def test_saving_a_product_keeps_its_variants_translations(admin_client_tandem):
    product = make_product("Drill", translations={"pl": {"name": "Wiertarka"}})
    variant = product.variants.get()
    variant.translations = {"pl": {"name": "zestaw"}, "ru": {"name": "комплект"}}
    variant.save()
    url = f"/admin/catalog/product/{product.pk}/change/"
    page = admin_client_tandem.get(url)
    data = {}
    for form in [
        page.context["adminform"].form,
        *[f for fs in page.context["inline_admin_formsets"] for f in fs.formset.forms],
    ]:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = (
                [v.pk if hasattr(v, "pk") else v for v in value] if isinstance(value, list | tuple) else value
            )
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
    response = admin_client_tandem.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    variant.refresh_from_db()
    product.refresh_from_db()
    assert variant.translations == {"pl": {"name": "zestaw"}, "ru": {"name": "комплект"}}
    assert product.translations == {"pl": {"name": "Wiertarka"}}


def test_a_category_cannot_be_moved_under_its_own_subcategory(admin_client_tandem):
    tools = make_category("Tools")
    drills = make_category("Drills", parent=tools)
    response = admin_client_tandem.post(
        f"/admin/catalog/category/{tools.pk}/change/",
        {
            "name": "Tools",
            "slug": tools.slug,
            "parent": drills.pk,
            "sort_order": "0",
            "is_active": "on",
            "name__pl": "",
            "name__bg": "",
            "name__ru": "",
            "description": "",
            "description__pl": "",
            "description__bg": "",
            "description__ru": "",
        },
    )
    assert response.status_code == 200
    assert "cannot be placed inside itself or its subcategories" in response.text
    tools.refresh_from_db()
    assert tools.parent is None


def test_only_superusers_can_grant_superuser_status(client, customer):
    admin_role = make_user(is_staff=True)
    admin_role.groups.add(Group.objects.get(name="Admin"))
    client.force_login(admin_role)
    form = client.get(f"/admin/customers/user/{customer.pk}/change/").context["adminform"].form
    assert "is_superuser" not in form.fields and "user_permissions" not in form.fields


def test_renaming_an_attribute_value_makes_products_findable_by_the_new_name(
    admin_client_tandem, django_capture_on_commit_callbacks
):
    from tests.factories import make_option

    option = make_option("material", "Inox")
    product = make_product("Pan", options=[option])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_tandem.post(
            f"/admin/catalog/attributeoption/{option.pk}/change/",
            {
                "attribute": option.attribute_id,
                "value": "Stainless steel",
                "slug": "inox",
                "sort_order": "0",
                "value__pl": "stal nierdzewna",
                "value__bg": "",
                "value__ru": "",
            },
        )
    assert response.status_code == 302
    found = selectors.product_listing(b2c_context(), query="nierdzewna").cards
    assert [card.product for card in found] == [product]
