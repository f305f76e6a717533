import pytest
from django.core.exceptions import ValidationError

from tandem.customers.validators import validate_vat_id


@pytest.mark.parametrize(
    ("value", "country", "expected"),
    [
        ("PL 526-000-12-46", "PL", "PL5260001246"),
        ("5260001246", "PL", "PL5260001246"),
        ("de136695976", "DE", "DE136695976"),
        ("BG175074752", "BG", "BG175074752"),
    ],
    ids=["pl-formatted", "pl-without-prefix", "de-lowercase", "bg"],
)
def test_valid_vat_ids_are_normalised(value, country, expected):
    assert validate_vat_id(value, country) == expected


@pytest.mark.parametrize(
    ("value", "country", "message"),
    [
        ("PL5260001247", "PL", "is not a valid VAT ID"),
        ("DE136695976", "PL", "must start with PL"),
        ("", "PL", "Enter a VAT ID"),
    ],
    ids=["bad-checksum", "wrong-country", "empty"],
)
def test_invalid_vat_ids_say_what_is_wrong(value, country, message):
    with pytest.raises(ValidationError) as error:
        validate_vat_id(value, country)
    assert message in error.value.messages[0]
