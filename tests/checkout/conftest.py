import pytest

from tandem.checkout.services import CheckoutDetails, ShippingAddress
from tests.factories import make_delivery


@pytest.fixture
def courier(db):
    return make_delivery("courier", price_net="10.00")


HOME = ShippingAddress(
    recipient="Anna Nowak", street="Długa 5", postal_code="00-238", city="Warszawa", country="PL"
)


def retail_details(**fields) -> CheckoutDetails:
    return CheckoutDetails(
        **{
            "email": "anna@shop.test",
            "delivery_method": "courier",
            "payment_method": "bank_transfer",
            "address": HOME,
            **fields,
        }
    )


def company_details(address_id: int, **fields) -> CheckoutDetails:
    return CheckoutDetails(
        **{
            "email": "buyer@acme.test",
            "delivery_method": "courier",
            "payment_method": "on_account",
            "address_id": address_id,
            "po_number": "PO-77",
            **fields,
        }
    )
