"""Amounts in words, as invoices state them: "tysiąc dwieście trzydzieści cztery PLN 50/100".

English, Polish and Russian come from num2words; Bulgarian, which num2words lacks, is
written here (``bulgarian_number``).
"""

from decimal import ROUND_HALF_UP, Decimal

from num2words import num2words

MINUS = {"en": "minus", "pl": "minus", "ru": "минус", "bg": "минус"}
# Currencies whose name is neuter in Bulgarian (едно евро); the others are masculine (един лев).
BULGARIAN_NEUTER_CURRENCIES = frozenset({"EUR"})


def amount_in_words(amount: Decimal, currency: str, language: str) -> str:
    """The integer part in words in ``language`` (en, pl, ru, bg; anything else in English),
    the currency code, and the cents as "NN/100"."""
    amount = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    language = (language or "en").split("-")[0].lower()
    units, cents = divmod(abs(amount), 1)
    whole = int(units)
    if language == "bg":
        gender = "neuter" if currency.upper() in BULGARIAN_NEUTER_CURRENCIES else "masculine"
        words = bulgarian_number(whole, gender=gender)
    else:
        try:
            words = num2words(whole, lang=language if language in ("pl", "ru") else "en")
        except NotImplementedError:  # pragma: no cover - the languages above are all there
            words = num2words(whole, lang="en")
    if amount < 0:
        words = f"{MINUS.get(language, 'minus')} {words}"
    return f"{words} {currency} {int(cents * 100):02d}/100"


# --- Bulgarian ------------------------------------------------------------------------------

_UNITS = ("", "едно", "две", "три", "четири", "пет", "шест", "седем", "осем", "девет")
_ONE = {"masculine": "един", "feminine": "една", "neuter": "едно"}
_TWO = {"masculine": "два", "feminine": "две", "neuter": "две"}
_TEENS = (
    "десет",
    "единадесет",
    "дванадесет",
    "тринадесет",
    "четиринадесет",
    "петнадесет",
    "шестнадесет",
    "седемнадесет",
    "осемнадесет",
    "деветнадесет",
)
_TENS = (
    "",
    "",
    "двадесет",
    "тридесет",
    "четиридесет",
    "петдесет",
    "шестдесет",
    "седемдесет",
    "осемдесет",
    "деветдесет",
)
_HUNDREDS = (
    "",
    "сто",
    "двеста",
    "триста",
    "четиристотин",
    "петстотин",
    "шестстотин",
    "седемстотин",
    "осемстотин",
    "деветстотин",
)
# scale: (singular, plural, gender of the count before it)
_SCALES = (
    (10**9, "милиард", "милиарда", "masculine"),
    (10**6, "милион", "милиона", "masculine"),
    (10**3, "хиляда", "хиляди", "feminine"),
)


def _unit(digit: int, gender: str) -> str:
    if digit == 1:
        return _ONE[gender]
    if digit == 2:
        return _TWO[gender]
    return _UNITS[digit]


def _below_thousand(number: int, gender: str) -> list[str]:
    """The members of 1..999, "и" before the last one when there are several:
    сто и пет, двадесет и едно, сто двадесет и три, сто и петнадесет."""
    hundreds, rest = divmod(number, 100)
    tens, units = divmod(rest, 10)
    members = [_HUNDREDS[hundreds]] if hundreds else []
    if 10 <= rest < 20:
        members.append(_TEENS[units])
    else:
        if tens:
            members.append(_TENS[tens])
        if units:
            members.append(_unit(units, gender))
    if len(members) > 1:
        members[-1] = f"и {members[-1]}"
    return members


def bulgarian_number(number: int, *, gender: str = "masculine") -> str:
    """``number`` (a whole number) in Bulgarian words, the last member agreeing with
    ``gender`` (masculine, feminine or neuter). "и" stands before the last member of each
    group of three, and before the last group when that group is one word: хиляда и едно,
    два милиона и петстотин хиляди, хиляда двеста тридесет и четири."""
    if number < 0:
        return f"{MINUS['bg']} {bulgarian_number(-number, gender=gender)}"
    if number == 0:
        return "нула"
    groups: list[tuple[list[str], str]] = []  # (the count's members, the scale word)
    rest = number
    for size, singular, plural, scale_gender in _SCALES:
        count, rest = divmod(rest, size)
        if not count:
            continue
        if count > 999:  # beyond the billions: the count of billions in words
            groups.append(([bulgarian_number(count, gender=scale_gender)], plural))
        elif count == 1:
            groups.append(([] if size == 10**3 else [_ONE[scale_gender]], singular))
        else:
            groups.append((_below_thousand(count, scale_gender), plural))
    if rest:
        groups.append((_below_thousand(rest, gender), ""))
    members, scale = groups[-1]
    if len(groups) > 1 and len(members) <= 1:
        # the last group is one member (хиляда и едно, два милиона и сто хиляди)
        if members:
            members[0] = f"и {members[0]}"
        else:
            groups[-1] = ([], f"и {scale}")
    return " ".join(word for members, scale in groups for word in (*members, scale) if word)
