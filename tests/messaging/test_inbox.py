import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext_lazy as _

from tandem.messaging.models import Notification
from tandem.messaging.selectors import unread_count
from tandem.messaging.services import notifications_read_all, notify_users
from tandem.orders.models import OrderStatus
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def notify(*users, title="Order 1 is placed", url="/account/orders/1/"):
    return notify_users(user_ids=[user.pk for user in users], kind="order.placed", title=title, url=url)


def test_each_recipient_gets_the_text_in_their_own_language():
    anna, jan = make_user(language="en"), make_user(language="pl")
    notify_users(
        user_ids=[anna.pk, jan.pk, None],
        kind="order.status_changed",
        title=_("Order %(number)s: %(status)s"),
        params={"number": "B2B-7", "status": OrderStatus.CONFIRMED.label},
    )
    titles = dict(Notification.objects.values_list("user_id", "title"))
    assert titles == {anna.pk: "Order B2B-7: Confirmed", jan.pk: "Zamówienie B2B-7: Potwierdzone"}


def test_inactive_users_get_nothing():
    gone = make_user(is_active=False)
    assert notify(gone) == []


def test_unread_count_and_mark_all_read():
    user, other = make_user(), make_user()
    notify(user), notify(user), notify(other)
    assert unread_count(user) == 2
    assert notifications_read_all(user=user) == 2
    assert (unread_count(user), unread_count(other)) == (0, 1)


# --- the inbox page --------------------------------------------------------------------------


def test_the_inbox_lists_newest_first_with_unread_ones_marked(client):
    user = make_user()
    first, second = notify(user, title="First")[0], notify(user, title="Second")[0]
    Notification.objects.filter(pk=first.pk).update(read_at=second.created_at)
    client.force_login(user)
    html = client.get("/account/inbox/").content.decode()
    assert html.index("Second") < html.index("First")
    assert html.count("data-unread") == 1


def test_opening_a_notification_marks_it_read_and_goes_to_its_link(client):
    user = make_user()
    item = notify(user, url="/account/orders/B2B-1/")[0]
    client.force_login(user)
    response = client.post(f"/account/inbox/{item.pk}/open/", {"next": item.url})
    assert response.status_code == 302 and response["Location"] == "/account/orders/B2B-1/"
    item.refresh_from_db()
    assert item.read_at is not None


def test_a_link_to_another_site_is_never_followed(client):
    user = make_user()
    item = notify(user)[0]
    client.force_login(user)
    response = client.post(f"/account/inbox/{item.pk}/open/", {"next": "https://evil.example/"})
    assert response["Location"] == "/account/inbox/"


@pytest.mark.parametrize("method", ["get", "post"], ids=["get", "post"])
def test_another_users_notification_is_a_404_and_stays_unread(client, method):
    owner, intruder = make_user(), make_user()
    item = notify(owner)[0]
    client.force_login(intruder)
    response = getattr(client, method)(f"/account/inbox/{item.pk}/open/")
    assert response.status_code == (405 if method == "get" else 404)
    assert client.post(f"/account/inbox/{10**20}/open/").status_code == 404
    item.refresh_from_db()
    assert item.read_at is None
    assert "Order 1 is placed" not in client.get("/account/inbox/").content.decode()


def test_mark_all_read_from_the_page(client):
    user = make_user()
    notify(user), notify(user)
    client.force_login(user)
    assert client.post("/account/inbox/read-all/").status_code == 302
    assert unread_count(user) == 0


def test_the_inbox_needs_a_login(client):
    assert client.get("/account/inbox/").status_code == 302


def test_the_header_shows_the_unread_count(client):
    user = make_user()
    notify(user), notify(user)
    client.force_login(user)
    html = client.get("/").content.decode()
    assert 'data-testid="inbox-count">2</span>' in html
    notifications_read_all(user=user)
    html = client.get("/").content.decode()
    assert 'data-testid="inbox-link"' in html and 'data-testid="inbox-count"' not in html


def test_the_inbox_page_costs_the_same_queries_for_3_or_20_notifications(client):
    user = make_user()
    client.force_login(user)
    for _index in range(3):
        notify(user)
    client.get("/account/inbox/")  # warm the caches
    with CaptureQueriesContext(connection) as few:
        client.get("/account/inbox/")
    for _index in range(17):
        notify(user)
    client.get("/account/inbox/")  # the new notifications made the unread count be read again
    with CaptureQueriesContext(connection) as many:
        assert client.get("/account/inbox/").content.decode().count('data-testid="notification"') == 20
    assert len(many) == len(few)


@pytest.mark.parametrize("page", ["0", "abc", "999"], ids=["zero", "text", "past-the-end"])
def test_any_page_number_shows_a_page(client, page):
    user = make_user()
    notify(user)
    client.force_login(user)
    assert client.get(f"/account/inbox/?page={page}").status_code == 200


# --- the API --------------------------------------------------------------------------------------


def test_the_api_lists_the_callers_notifications_with_the_unread_filter(client):
    user, other = make_user(), make_user()
    read, unread = notify(user, title="Read")[0], notify(user, title="Unread")[0]
    notify(other, title="Someone else's")
    Notification.objects.filter(pk=read.pk).update(read_at=unread.created_at)
    client.force_login(user)
    body = client.get("/api/v1/inbox").json()
    assert (body["count"], body["unread"]) == (2, 1)
    assert [item["title"] for item in body["items"]] == ["Unread", "Read"]
    body = client.get("/api/v1/inbox?unread=true&limit=1").json()
    assert [item["title"] for item in body["items"]] == ["Unread"]


def test_the_api_marks_one_or_all_read(client):
    user = make_user()
    first, _second = notify(user)[0], notify(user)[0]
    client.force_login(user)
    body = client.post(f"/api/v1/inbox/{first.pk}/read").json()
    assert body["id"] == first.pk and body["read_at"] is not None
    assert client.post("/api/v1/inbox/read-all").json() == {"marked": 1}
    assert unread_count(user) == 0


def test_another_users_notification_is_a_404_in_the_api(client):
    owner, intruder = make_user(), make_user()
    item = notify(owner)[0]
    client.force_login(intruder)
    response = client.post(f"/api/v1/inbox/{item.pk}/read")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert client.post(f"/api/v1/inbox/{10**20}/read").status_code in (404, 422)
    assert client.get("/api/v1/inbox").json()["count"] == 0
    item.refresh_from_db()
    assert item.read_at is None


def test_the_api_needs_a_login(client):
    assert client.get("/api/v1/inbox").status_code == 401
