import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from tandem.catalog.models import Category, Product
from tandem.customers.models import Company, CompanyRole, CompanyUser, User
from tandem.demo.generator import DEMO_LOGINS, DEMO_PASSWORD, demo_data_present

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed", demo=True, no_images=True, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_demo_is_a_believable_shop(demo):
    assert Product.objects.count() >= 500
    assert Category.objects.filter(children__isnull=True).count() >= 30
    assert Company.objects.values("country").distinct().count() >= 3
    assert set(CompanyUser.objects.values_list("role", flat=True)) == set(CompanyRole.values)
    assert User.objects.filter(is_staff=False, company_user__isnull=True).count() >= 3
    assert User.objects.filter(groups__name="Sales rep").count() == 2
    product = Product.objects.exclude(translations={}).first()
    assert set(product.translations) == {"pl", "bg", "ru"}


def test_every_demo_login_works(demo):
    assert demo_data_present()
    for email, _role in DEMO_LOGINS:
        assert authenticate(username=email, password=DEMO_PASSWORD) is not None, email


def test_seeding_scales_by_adding_products_and_companies(demo):
    before = Product.objects.count()
    call_command("seed", products=300, companies=12, no_images=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Product.objects.count() == before + 300
    assert Company.objects.count() == 12
