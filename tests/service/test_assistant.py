"""The assistant: understands customers in four languages as they write (typos, no
diacritics, other word forms), answers from their own data, never from anyone else's."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from tandem.checkout.services import order_place
from tandem.customers.models import CompanyRole
from tandem.customers.roles import staff_roles_sync
from tandem.service.assistant import _parse, detect_intent
from tandem.service.demo_faq import faq_demo_load
from tandem.service.models import UnansweredQuestion
from tests.checkout.conftest import company_details
from tests.factories import (
    company_address,
    make_cart,
    make_company,
    make_company_user,
    make_delivery,
    make_product,
    make_user,
    user_context,
)

pytestmark = pytest.mark.django_db

# (message as customers write it, the intent meant)
MESSAGES = [
    ("where is my order?", "order_status"),
    ("wheres my last order", "order_status"),
    ("status of order 2026-000123", "order_status"),
    ("has my parcel shipped yet", "order_status"),
    ("how much do we owe you", "balance"),
    ("what is our balance", "balance"),
    ("how much credit do we have left", "credit"),
    ("credit limit?", "credit"),
    ("do i have unpaid invoices", "invoices"),
    ("send me the overdue invoice", "invoices"),
    ("who is my sales rep", "sales_rep"),
    ("contact to my account manager pls", "sales_rep"),
    ("order the same as last time again", "reorder"),
    ("i want to talk to a human", "handover"),
    ("gdzie jest moje zamowienie", "order_status"),
    ("status zamówienia 2026-000123", "order_status"),
    ("kiedy dotrze przesylka", "order_status"),
    ("jakie mamy saldo", "balance"),
    ("ile jestesmy winni", "balance"),
    ("jaki mam limit kredytu", "credit"),
    ("czy mam niezaplacone faktury", "invoices"),
    ("prosze o fakture", "invoices"),
    ("kto jest moim opiekunem", "sales_rep"),
    ("zamow ponownie ostatnie zamowienie", "reorder"),
    ("chce porozmawiac z czlowiekiem", "handover"),
    ("przeterminowane faktury", "invoices"),
    ("къде е поръчката ми", "order_status"),
    ("статус на поръчка 2026-000123", "order_status"),
    ("кога ще пристигне пратката", "order_status"),
    ("какво е салдото ни", "balance"),
    ("колко дължим", "balance"),
    ("какъв е кредитния лимит", "credit"),
    ("имам ли неплатени фактури", "invoices"),
    ("просрочени фактури", "invoices"),
    ("кой е търговския ми представител", "sales_rep"),
    ("поръчай отново последната поръчка", "reorder"),
    ("искам да говоря с човек", "handover"),
    ("где мой заказ", "order_status"),
    ("статус заказа 2026-000123", "order_status"),
    ("когда придет посылка", "order_status"),
    ("какой у нас баланс", "balance"),
    ("сколько мы должны", "balance"),
    ("какой кредитный лимит", "credit"),
    ("есть неоплаченные счета?", "invoices"),
    ("просроченные счета", "invoices"),
    ("кто мой менеджер", "sales_rep"),
    ("повторить последний заказ", "reorder"),
    ("хочу поговорить с человеком", "handover"),
]


def test_the_intent_of_messages_written_as_customers_write_them():
    wrong = [
        (text, want, got)
        for text, want in MESSAGES
        if (got := detect_intent(_parse(text, "en"), False)) != want
    ]
    assert len(wrong) <= len(MESSAGES) // 10, wrong  # at least 90 % right


@pytest.fixture
def shop():
    staff_roles_sync()
    make_delivery("courier", price_net="0.00")
    rep = make_user("rep@shop.test", is_staff=True, full_name="Rita Rep")
    rep.groups.set(Group.objects.filter(name="Sales rep"))
    acme = make_company("ACME", credit_limit=Decimal("10000"), sales_rep=rep)
    other = make_company("Other", credit_limit=Decimal("10000"))
    boss = make_company_user(acme, CompanyRole.ADMIN, email="boss@acme.test")
    buyer = make_company_user(acme, CompanyRole.BUYER, email="buyer@acme.test")
    stranger = make_company_user(other, CompanyRole.ADMIN, email="boss@other.test")
    drill = make_product("Drill", net="100.00", gross="123.00", stock=7).variants.get()

    def place(user, company):
        return order_place(
            cart=make_cart(user=user, lines=[(drill, 2)]),
            context=user_context(user),
            acting_user=user,
            details=company_details(company_address(company).pk, email=user.email),
        )

    return {
        "boss": boss,
        "buyer": buyer,
        "stranger": stranger,
        "drill": drill,
        "acme_order": place(boss, acme),
        "other_order": place(stranger, other),
    }


def ask(client: Client, text: str, **extra) -> dict:
    answer = client.post(
        "/api/v1/assistant/messages", {"text": text, **extra}, content_type="application/json"
    )
    assert answer.status_code == 200, answer.content
    return answer.json()


def test_order_status_comes_from_the_writers_own_orders_only(client, shop):
    client.force_login(shop["boss"])
    mine = ask(client, "gdzie jest moje ostatnie zamówienie?")
    assert mine["intent"] == "order_status" and shop["acme_order"].number in mine["answer"]
    theirs = ask(client, f"status of order {shop['other_order'].number}")
    assert theirs["intent"] == "order_status" and shop["other_order"].number not in theirs["answer"]

    guest = Client()
    asked = ask(guest, f"where is order {shop['acme_order'].number}")
    assert shop["acme_order"].number not in asked["answer"]  # a number alone tells a guest nothing
    with_email = ask(guest, f"where is order {shop['acme_order'].number} boss@acme.test")
    assert shop["acme_order"].number in with_email["answer"]
    wrong_email = ask(guest, f"where is order {shop['acme_order'].number} boss@other.test")
    assert shop["acme_order"].number not in wrong_email["answer"]


def test_credit_and_balance_only_for_the_roles_that_see_them(client, shop):
    client.force_login(shop["boss"])
    credit = ask(client, "jaki mam limit kredytu")
    assert credit["intent"] == "credit" and "10" in credit["answer"] and "000" in credit["answer"]
    client.force_login(shop["buyer"])
    refused = ask(client, "how much credit do we have left")
    assert refused["intent"] == "credit" and "administrator" in refused["answer"]
    assert ask(Client(), "what is our balance")["answer"].startswith("Sign in")


def test_the_sales_rep_price_and_stock_are_the_writers_own(client, shop):
    client.force_login(shop["buyer"])
    rep = ask(client, "кто мой менеджер")
    assert rep["intent"] == "sales_rep" and "Rita Rep" in rep["answer"]
    price = ask(client, f"ile kosztuje {shop['drill'].sku}?")
    assert (
        price["intent"] == "price" and "100,00" in price["answer"] and "w magazynie 3." in price["answer"]
    )  # net; 7 less 4 reserved
    retail = ask(Client(), f"price of {shop['drill'].sku}")
    assert "123" in retail["answer"]  # a guest sees the retail gross price
    stranger = Client()
    stranger.force_login(shop["stranger"])
    assert "Rita" not in ask(stranger, "who is my sales rep")["answer"]


def test_a_question_answered_by_the_faq_and_one_nobody_answers(client, shop):
    faq_demo_load()
    answer = ask(Client(), "jak zwrocic produkt?")
    assert answer["intent"] == "faq" and "14 dni" in answer["answer"]
    unknown = ask(Client(), "czy sprzedajecie rowery elektryczne dla psow")
    assert unknown["intent"] == "unknown" and unknown["actions"][0]["type"] == "handover"
    assert UnansweredQuestion.objects.filter(language="pl").count() == 1


def test_reorder_asks_before_it_does_anything(client, shop):
    client.force_login(shop["boss"])
    reply = ask(client, "order the same as last time again")
    assert reply["intent"] == "reorder"
    assert reply["actions"] == [
        {"type": "reorder", "order": shop["acme_order"].number, "label": "Yes, add them to my cart"}
    ]


def test_the_panel_on_every_page_asks_and_shows_the_answer(client, shop):
    assert 'data-testid="assistant"' in client.get("/").content.decode()
    client.force_login(shop["boss"])
    fragment = client.post("/assistant/", {"text": "gdzie jest moje zamowienie"}, HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert 'data-intent="order_status"' in html and shop["acme_order"].number in html
    assert "<html" not in html  # only the exchange, for the panel's log
    page = client.post("/assistant/", {"text": "order the same as last time again"}).content.decode()
    assert "<html" in page and f"/account/orders/{shop['acme_order'].number}/reorder/" in page


def test_two_hundred_messages_in_four_languages_are_understood():
    """The evaluation set (tests/service/assistant_messages.py): at least 90 % right overall
    and in every language; bench/assistant_eval.py prints the confusion table."""
    from tandem.service.assistant import understand
    from tests.service.assistant_messages import MESSAGES

    faq_demo_load()
    assert len(MESSAGES) == 200 and {language for language, _t, _i in MESSAGES} == {"en", "pl", "bg", "ru"}
    wrong = [
        (text, want, got)
        for language, text, want in MESSAGES
        if (got := understand(text, "en").intent) != want
    ]
    per_language = {
        language: sum(
            1 for lang, text, want in MESSAGES if lang == language and understand(text, "en").intent == want
        )
        for language in ("en", "pl", "bg", "ru")
    }
    assert len(wrong) <= 20, wrong
    assert min(per_language.values()) >= 45, per_language


def test_write_to_a_person_opens_a_thread_to_the_rep_with_the_question(client, shop):
    from tandem.messaging.models import Thread

    client.force_login(shop["buyer"])
    answer = client.post("/assistant/handover/", {"text": "Czy dacie rabat na 500 wiertarek?"})
    thread = Thread.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/account/messages/{thread.pk}/"
    assert thread.company.name == "ACME" and "500 wiertarek" in thread.messages.get().text
    retail = Client()
    retail.force_login(make_user("anna@shop.test"))
    refused = retail.post("/api/v1/assistant/handover", {"text": "hello"}, content_type="application/json")
    assert refused.status_code == 400 and Thread.objects.count() == 1


def test_the_rep_reads_the_conversation_that_came_before_the_hand_over(client, shop):
    from tandem.messaging.models import Thread

    client.force_login(shop["buyer"])
    client.post("/assistant/", {"text": "what is my balance?"}, HTTP_HX_REQUEST="true")
    client.post("/assistant/", {"text": "who is my sales rep?"}, HTTP_HX_REQUEST="true")
    client.post("/assistant/handover/", {"text": "Can you extend my credit limit?"})
    text = Thread.objects.get().messages.get().text
    assert text.index("Can you extend my credit limit?") < text.index("> what is my balance?")
    assert text.index("> what is my balance?") < text.index("> who is my sales rep?")
    # the next hand-over starts a fresh conversation
    client.post("/assistant/handover/", {"text": "One more thing"})
    assert "what is my balance" not in Thread.objects.order_by("-pk").first().messages.get().text
