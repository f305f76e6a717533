"""Amounts in words on invoices, in the document's language."""

from decimal import Decimal

import pytest

from tandem.core.words import amount_in_words, bulgarian_number


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "нула"),
        (1, "един"),
        (2, "два"),
        (11, "единадесет"),
        (20, "двадесет"),
        (21, "двадесет и един"),
        (100, "сто"),
        (101, "сто и един"),
        (115, "сто и петнадесет"),
        (120, "сто и двадесет"),
        (121, "сто двадесет и един"),
        (200, "двеста"),
        (450, "четиристотин и петдесет"),
        (999, "деветстотин деветдесет и девет"),
        (1000, "хиляда"),
        (1001, "хиляда и един"),
        (1100, "хиляда и сто"),
        (1234, "хиляда двеста тридесет и четири"),
        (2000, "две хиляди"),
        (12345, "дванадесет хиляди триста четиридесет и пет"),
        (21000, "двадесет и една хиляди"),
        (120000, "сто и двадесет хиляди"),
        (1000000, "един милион"),
        (1500000, "един милион и петстотин хиляди"),
        (2001000, "два милиона и хиляда"),
        (2000001, "два милиона и един"),
        (
            123456789,
            "сто двадесет и три милиона четиристотин петдесет и шест хиляди седемстотин осемдесет и девет",
        ),
        (3000000000, "три милиарда"),
    ],
    ids=str,
)
def test_bulgarian_numbers_read_as_written_by_hand(number, words):
    assert bulgarian_number(number) == words


def test_bulgarian_neuter_agrees_with_the_last_member():
    assert bulgarian_number(21, gender="neuter") == "двадесет и едно"
    assert bulgarian_number(2, gender="neuter") == "две"
    assert bulgarian_number(1001, gender="neuter") == "хиляда и едно"


@pytest.mark.parametrize(
    ("amount", "currency", "language", "words"),
    [
        ("1234.50", "PLN", "pl", "tysiąc dwieście trzydzieści cztery PLN 50/100"),
        ("2000001.07", "PLN", "pl", "dwa miliony jeden PLN 07/100"),
        ("1234.50", "EUR", "en", "one thousand, two hundred and thirty-four EUR 50/100"),
        ("0.99", "EUR", "en", "zero EUR 99/100"),
        ("21.00", "RUB", "ru", "двадцать один RUB 00/100"),
        ("1234.50", "BGN", "bg", "хиляда двеста тридесет и четири BGN 50/100"),
        ("21.05", "EUR", "bg", "двадесет и едно EUR 05/100"),
        ("10.5", "PLN", "pl-pl", "dziesięć PLN 50/100"),
        ("7", "PLN", "de", "seven PLN 00/100"),
        ("-3.10", "PLN", "pl", "minus trzy PLN 10/100"),
    ],
    ids=lambda value: str(value),
)
def test_amount_in_words_states_the_whole_units_the_currency_and_cents(amount, currency, language, words):
    assert amount_in_words(Decimal(amount), currency, language) == words


def test_cents_are_rounded_half_up():
    assert amount_in_words(Decimal("1.005"), "PLN", "en") == "one PLN 01/100"
