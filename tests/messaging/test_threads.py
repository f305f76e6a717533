"""Threads between a customer and its sales rep: who may write, who is told, what is unread."""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from tandem.core.context import Channel, CustomerContext
from tandem.core.errors import NotFound
from tandem.customers.models import Company, CompanyRole, User
from tandem.customers.roles import staff_roles_sync
from tandem.messaging.errors import MessageInvalid, NoSalesRep
from tandem.messaging.models import Message, Notification, Thread
from tandem.messaging.selectors import ThreadFilters, thread_list, unread_threads_count
from tandem.messaging.threads import message_post, thread_start
from tandem.orders.models import Order
from tandem.quotes.models import Quote
from tests.factories import make_company, make_company_user, make_user, user_context
from tests.messaging.conftest import place_company_order

pytestmark = pytest.mark.django_db


@dataclass
class Shop:
    company: Company
    order: Order
    quote: Quote
    buyer: User
    admin: User
    accountant: User
    rep: User
    manager: User
    other_company: Company
    other_admin: User
    other_rep: User


def _staff(email: str, role: str, full_name: str) -> User:
    user = make_user(email, is_staff=True, full_name=full_name)
    user.groups.set(Group.objects.filter(name=role))
    return User.objects.get(pk=user.pk)  # fresh permission caches


@pytest.fixture
def shop(db) -> Shop:
    """ACME (buyer, admin, approver, accountant; rep Rita) with a placed order and a quote;
    another company with its own rep; a sales manager who sees every customer."""
    staff_roles_sync()
    order, buyer, admin, _warehouse = place_company_order()
    rep = _staff("rita@shop.test", "Sales rep", "Rita Rep")
    other_rep = _staff("otto@shop.test", "Sales rep", "Otto Rep")
    company = order.company
    company.sales_rep = rep
    company.save()
    other_company = make_company("Other", sales_rep=other_rep)
    Notification.objects.all().delete()
    mail.outbox.clear()
    return Shop(
        company=company,
        order=order,
        buyer=User.objects.get(pk=buyer.pk),
        admin=admin,
        quote=Quote.objects.create(number="RFQ/2026/000001", company=company, currency="PLN", language="en"),
        accountant=make_company_user(company, CompanyRole.ACCOUNTANT, email="books@acme.test"),
        rep=rep,
        manager=_staff("mia@shop.test", "Sales manager", "Mia Manager"),
        other_company=other_company,
        other_rep=other_rep,
        other_admin=make_company_user(other_company, CompanyRole.ADMIN, email="admin@other.test"),
    )


def ask(shop: Shop, user: User | None = None, text: str = "When will it ship?", **about) -> Thread:
    user = user or shop.buyer
    return thread_start(
        user=user, context=user_context(user), subject=about.pop("subject", ""), text=text, **about
    )


def acting_for(company: Company, rep: User) -> CustomerContext:
    return CustomerContext(
        channel=Channel.B2B,
        currency="PLN",
        country="PL",
        language="en",
        user_id=rep.pk,
        company_id=company.pk,
        on_behalf_of_id=company.pk,
    )


# --- starting and answering ----------------------------------------------------------------------


def test_a_buyer_asks_about_an_order_and_the_rep_gets_an_inbox_notice_and_an_email(
    shop, client, django_capture_on_commit_callbacks
):
    client.force_login(shop.buyer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/account/messages/", {"order": shop.order.number, "text": "When will it ship?"}
        )
    thread = Thread.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/account/messages/{thread.pk}/"
    assert (thread.company, thread.order, thread.subject) == (
        shop.company,
        shop.order,
        f"Order {shop.order.number}",
    )
    notice = Notification.objects.get()
    assert (notice.user, notice.kind, notice.url) == (shop.rep, "message", f"/rep/messages/{thread.pk}/")
    assert [(email.to, email.subject) for email in mail.outbox] == [
        (["rita@shop.test"], f"New message: Order {shop.order.number}")
    ]
    body = mail.outbox[0].body
    assert "When will it ship?" in body and f"/rep/messages/{thread.pk}/" in body


def test_the_rep_replies_and_the_buyer_sees_it_unread_until_opening_it(
    shop, client, django_capture_on_commit_callbacks
):
    thread = ask(shop, order=shop.order)
    client.force_login(shop.rep)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/rep/messages/{thread.pk}/", {"text": "Tomorrow,\nby courier."})
    assert response.status_code == 302
    assert Message.objects.latest("pk").text == "Tomorrow,\nby courier."
    assert Notification.objects.get(user=shop.buyer).url == f"/account/messages/{thread.pk}/"
    assert mail.outbox[-1].to == ["buyer@acme.test"]
    assert unread_threads_count(shop.buyer, user_context(shop.buyer)) == 1

    client.force_login(shop.buyer)
    listed = client.get("/account/messages/")
    html = listed.content.decode()
    assert "data-unread" in html and 'data-testid="messages-unread">1<' in html
    opened = client.get(f"/account/messages/{thread.pk}/")
    assert opened.status_code == 200 and "Tomorrow,<br>by courier." in opened.content.decode()
    assert unread_threads_count(shop.buyer, user_context(shop.buyer)) == 0


def test_the_rep_starts_a_thread_and_the_company_admins_hear_of_it(shop, client):
    client.force_login(shop.rep)
    response = client.post(
        "/rep/messages/", {"company": shop.company.pk, "subject": "New prices", "text": "From May."}
    )
    thread = Thread.objects.get()
    assert response.status_code == 302 and thread.subject == "New prices"
    assert set(Notification.objects.values_list("user_id", flat=True)) == {shop.admin.pk}


def test_when_a_customer_answered_the_rep_the_writers_hear_of_the_next_message(shop):
    """Admins are addressed by a thread the rep started; everyone who wrote from the company
    hears of the rep's later messages."""
    thread = thread_start(
        user=shop.rep, context=None, subject="New prices", text="From May.", company=shop.company
    )
    message_post(user=shop.accountant, context=user_context(shop.accountant), thread=thread, text="Thanks")
    Notification.objects.all().delete()
    message_post(user=shop.rep, context=None, thread=thread, text="You are welcome")
    assert set(Notification.objects.values_list("user_id", flat=True)) == {shop.admin.pk, shop.accountant.pk}


def test_accountants_may_message_their_rep(shop):
    thread = ask(shop, shop.accountant, subject="Invoice copy", text="Please resend invoice 12.")
    assert thread.messages.get().from_customer is True
    assert list(Notification.objects.values_list("user_id", flat=True)) == [shop.rep.pk]


def test_a_rep_acting_for_the_customer_writes_as_the_rep(shop):
    thread = ask(shop, order=shop.order)
    message = message_post(
        user=shop.rep, context=acting_for(shop.company, shop.rep), thread=thread, text="I checked: tomorrow."
    )
    assert message.from_customer is False
    assert list(
        Notification.objects.filter(kind="message").values_list("user_id", flat=True).order_by("pk")
    ) == [shop.rep.pk, shop.buyer.pk]


def test_a_company_without_a_sales_rep_cannot_start_a_thread(shop):
    Company.objects.filter(pk=shop.other_company.pk).update(sales_rep=None)
    with pytest.raises(NoSalesRep):
        thread_start(
            user=shop.other_admin, context=user_context(shop.other_admin), subject="Hello", text="Anyone?"
        )
    assert not Thread.objects.exists()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("   \n ", "text_required"),
        ("x" * 5001, "text_too_long"),
        ("before\x00after", "not_printable"),
    ],
    ids=["empty", "too-long", "nul-byte"],
)
def test_a_bad_text_is_refused_with_its_field(shop, text, code):
    with pytest.raises(MessageInvalid) as error:
        ask(shop, subject="Hello", text=text)
    assert (error.value.code, error.value.field) == (code, "text")
    assert not Thread.objects.exists()


def test_a_subject_too_long_is_refused_and_line_breaks_in_the_text_are_kept(shop):
    with pytest.raises(MessageInvalid) as error:
        ask(shop, subject="s" * 201)
    assert (error.value.code, error.value.field) == ("subject_too_long", "subject")
    assert ask(shop, subject="Two lines", text="one\r\ntwo").messages.get().text == "one\ntwo"


# --- tenancy ----------------------------------------------------------------------------------------


def test_a_thread_about_another_companys_order_or_quote_is_not_found(shop):
    other = make_company_user(shop.other_company, email="b@other.test")
    with pytest.raises(NotFound):
        ask(shop, other, order=shop.order)
    with pytest.raises(NotFound):
        ask(shop, other, quote=shop.quote)
    with pytest.raises(NotFound):
        thread_start(user=shop.other_rep, context=None, subject="Hi", text="Hi", company=shop.company)
    assert not Thread.objects.exists()


@pytest.mark.parametrize("who", ["other_admin", "other_rep"])
def test_another_companys_user_and_another_rep_get_404_on_pages_and_api(shop, client, who):
    thread = ask(shop, order=shop.order)
    client.force_login(getattr(shop, who))
    page = f"/rep/messages/{thread.pk}/" if who == "other_rep" else f"/account/messages/{thread.pk}/"
    assert client.get(page).status_code == 404
    assert client.post(page, {"text": "Mine now"}).status_code == 404
    assert client.get(f"/api/v1/messages/threads/{thread.pk}").status_code == 404
    assert (
        client.post(
            f"/api/v1/messages/threads/{thread.pk}/messages",
            {"text": "Mine now"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert (
        client.post(
            "/api/v1/messages/threads",
            {"text": "Mine", "order_number": shop.order.number},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert client.get("/api/v1/messages/threads").json() == {"count": 0, "items": []}
    assert thread.messages.count() == 1


def test_a_page_form_about_another_companys_order_is_a_404(shop, client):
    client.force_login(shop.other_admin)
    response = client.post("/account/messages/", {"order": shop.order.number, "text": "Hi"})
    assert response.status_code == 404 and not Thread.objects.exists()


def test_the_manager_sees_every_customers_threads_and_a_rep_only_their_own(shop):
    ask(shop, order=shop.order)
    thread_start(user=shop.other_rep, context=None, subject="Hello", text="Hi", company=shop.other_company)
    assert thread_list(shop.manager).count() == 2
    assert [thread.company for thread in thread_list(shop.rep)] == [shop.company]
    assert [thread.company for thread in thread_list(shop.other_rep)] == [shop.other_company]


# --- unread counts and query counts -------------------------------------------------------------------


def test_unread_counts_only_others_messages_since_the_last_read(shop):
    first = ask(shop, subject="One", text="1")
    ask(shop, subject="Two", text="2")
    assert unread_threads_count(shop.buyer, user_context(shop.buyer)) == 0  # their own messages
    assert unread_threads_count(shop.rep) == 2
    message_post(user=shop.rep, context=None, thread=first, text="Answer")
    assert unread_threads_count(shop.rep) == 1  # writing reads the thread
    assert unread_threads_count(shop.buyer, user_context(shop.buyer)) == 1
    assert unread_threads_count(shop.admin, user_context(shop.admin)) == 2  # a colleague's message too
    assert [
        (thread.subject, thread.unread)
        for thread in thread_list(shop.rep, filters=ThreadFilters(unread_first=True))
    ] == [("Two", True), ("One", False)]


@pytest.mark.parametrize("count", [3, 30])
def test_the_thread_list_and_the_unread_count_cost_one_query_each(shop, django_assert_num_queries, count):
    for number in range(count):
        thread = ask(shop, subject=f"Question {number}", order=shop.order, quote=shop.quote)
        message_post(user=shop.rep, context=None, thread=thread, text="Answer")
    context = user_context(shop.buyer)
    with django_assert_num_queries(1):
        rows = [
            (thread.subject, thread.unread, thread.order.number, thread.quote.number, thread.company.name)
            for thread in thread_list(shop.buyer, context)
        ]
    assert len(rows) == count and all(unread for _subject, unread, *_rest in rows)
    with django_assert_num_queries(1):
        assert unread_threads_count(shop.buyer, context) == count


# --- the API ------------------------------------------------------------------------------------------------


def test_the_api_starts_lists_opens_and_answers_a_thread(shop, client, django_capture_on_commit_callbacks):
    client.force_login(shop.buyer)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            "/api/v1/messages/threads",
            {"text": "Can we get 5 % off?", "quote_id": shop.quote.pk},
            content_type="application/json",
        )
    assert started.status_code == 201
    thread = started.json()
    assert (thread["subject"], thread["quote_number"], thread["company"]) == (
        "Quote RFQ/2026/000001",
        "RFQ/2026/000001",
        shop.company.name,
    )
    assert mail.outbox[-1].to == ["rita@shop.test"]

    client.force_login(shop.rep)
    assert client.get("/api/v1/messages/threads?unread=true").json()["count"] == 1
    opened = client.get(f"/api/v1/messages/threads/{thread['id']}").json()
    assert [
        (message["text"], message["from_customer"], message["unread"]) for message in opened["messages"]
    ] == [("Can we get 5 % off?", True, True)]
    assert client.get("/api/v1/messages/threads?unread=true").json()["count"] == 0
    reply = client.post(
        f"/api/v1/messages/threads/{thread['id']}/messages", {"text": "Yes."}, content_type="application/json"
    )
    assert reply.status_code == 201 and reply.json()["from_customer"] is False

    client.force_login(shop.buyer)
    assert [item["unread"] for item in client.get("/api/v1/messages/threads").json()["items"]] == [True]


def test_the_api_names_the_field_of_a_bad_message(shop, client):
    """(NUL bytes never reach the API: the shop refuses them for every request.)"""
    client.force_login(shop.buyer)
    response = client.post(
        "/api/v1/messages/threads",
        {"subject": "Hi", "text": "ring \u0007 bell"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("not_printable", "text")


# --- pages --------------------------------------------------------------------------------------------------


def test_the_order_and_quote_pages_offer_to_ask_about_them(shop, client):
    client.force_login(shop.buyer)
    order_page = client.get(f"/account/orders/{shop.order.number}/").content.decode()
    assert 'data-testid="ask-about"' in order_page
    assert f'name="order" value="{shop.order.number}"' in order_page
    quote_page = client.get(f"/account/quotes/{shop.quote.pk}/").content.decode()
    assert f'name="quote" value="{shop.quote.pk}"' in quote_page
    client.force_login(shop.rep)
    builder = client.get(f"/rep/quotes/{shop.quote.pk}/").content.decode()
    assert 'action="/rep/messages/"' in builder and f'name="quote" value="{shop.quote.pk}"' in builder


def test_the_rep_list_shows_unread_threads_first_and_narrows_to_a_company(shop, client):
    older = ask(shop, subject="Older question")
    answered = ask(shop, subject="Answered")
    message_post(user=shop.rep, context=None, thread=answered, text="Done")
    client.force_login(shop.manager)
    thread_start(
        user=shop.manager, context=None, subject="Hello Other", text="Hi", company=shop.other_company
    )
    page = client.get("/rep/messages/")
    assert [thread.subject for thread in page.context["page"]] == [
        "Answered",
        "Older question",
        "Hello Other",
    ]
    client.force_login(shop.rep)
    page = client.get("/rep/messages/")
    assert [(thread.pk, thread.unread) for thread in page.context["page"]] == [
        (older.pk, True),
        (answered.pk, False),
    ]
    narrowed = client.get(f"/rep/messages/?company={shop.other_company.pk}")
    assert list(narrowed.context["page"]) == []


def test_a_bad_reply_on_the_page_is_shown_not_saved(shop, client):
    thread = ask(shop, subject="Hello")
    client.force_login(shop.buyer)
    response = client.post(f"/account/messages/{thread.pk}/", {"text": "  "})
    assert response.status_code == 400 and 'data-code="text_required"' in response.content.decode()
    assert thread.messages.count() == 1


def test_staff_opening_a_client_panel_thread_are_sent_to_the_rep_panel(shop, client):
    thread = ask(shop, subject="Hello")
    client.force_login(shop.rep)
    response = client.get(f"/account/messages/{thread.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/rep/messages/{thread.pk}/"
