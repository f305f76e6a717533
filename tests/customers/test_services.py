from dataclasses import replace

import pytest

from tandem.core.errors import DomainError, PermissionDenied
from tandem.customers.models import Address, CompanyRole
from tandem.customers.services import AddressData, address_save
from tests.factories import make_company_user

HOME = AddressData(
    recipient="Anna Nowak",
    street="Długa 5",
    postal_code="00-238",
    city="Warszawa",
    country="PL",
    label="Home",
    is_default=True,
)


def test_a_new_default_address_replaces_the_old_default(customer):
    first = address_save(user=customer, data=HOME)
    second = address_save(user=customer, data=HOME)
    first.refresh_from_db()
    assert (first.is_default, second.is_default) == (False, True)


def test_a_company_admin_edits_company_addresses(company):
    admin = make_company_user(company, CompanyRole.ADMIN)
    address = address_save(user=admin, data=HOME)
    assert (address.company_id, address.user_id) == (company.pk, None)


def test_a_buyer_cannot_change_company_addresses(buyer):
    with pytest.raises(PermissionDenied):
        address_save(user=buyer, data=HOME)
    assert Address.objects.count() == 0


def test_an_address_with_an_unknown_country_is_refused(customer):
    with pytest.raises(DomainError) as error:
        address_save(user=customer, data=replace(HOME, country="XX"))
    assert (error.value.code, error.value.field) == ("address_invalid", "country")
