"""The client panel's feed page and the API turn feeds on, rotate and revoke them alike."""

import json
import re

from tandem.customers.api_auth import api_token_create
from tandem.feeds.models import Feed
from tandem.feeds.tasks import feed_write


def test_the_company_admin_turns_a_feed_on_and_sees_its_address_once(client, shop):
    client.force_login(shop.acme_admin)

    response = client.post(
        "/account/company/feeds/",
        {"file_format": "bmecat", "language": "pl", "currency": "PLN", "name": "ERP"},
    )
    assert response.status_code == 302
    page = client.get("/account/company/feeds/").content.decode()
    url = re.search(r'data-testid="new-feed-url">([^<]+)<', page).group(1)

    feed = Feed.objects.get(company=shop.acme)
    assert (feed.file_format, feed.language, feed.currency, feed.name) == ("bmecat", "pl", "PLN", "ERP")
    assert url.startswith("http://testserver/feeds/tfd_") and url.endswith(f"{feed.token_hint}/")
    assert "new-feed-url" not in client.get("/account/company/feeds/").content.decode()  # once


def test_a_buyer_may_not_open_the_feed_page(client, shop):
    from tandem.customers.models import CompanyRole
    from tests.factories import make_company_user

    client.force_login(make_company_user(shop.acme, CompanyRole.BUYER))

    assert client.get("/account/company/feeds/").status_code == 403


def test_the_company_admin_rotates_and_revokes_on_the_page(client, shop):
    client.force_login(shop.acme_admin)
    client.post("/account/company/feeds/", {"file_format": "csv", "language": "en", "currency": "PLN"})
    feed = Feed.objects.get(company=shop.acme)
    first = feed.token_hash

    client.post(f"/account/company/feeds/{feed.pk}/rotate/")
    assert Feed.objects.get(pk=feed.pk).token_hash != first
    client.post(f"/account/company/feeds/{feed.pk}/revoke/")
    assert not Feed.objects.get(pk=feed.pk).is_active


def test_another_companys_feed_is_not_found_on_the_page(client, shop):
    client.force_login(shop.acme_admin)
    client.post("/account/company/feeds/", {"file_format": "csv", "language": "en", "currency": "PLN"})
    feed = Feed.objects.get(company=shop.acme)
    client.force_login(shop.balkan_admin)

    assert client.post(f"/account/company/feeds/{feed.pk}/revoke/").status_code == 404
    assert Feed.objects.get(pk=feed.pk).is_active


def test_the_api_turns_a_feed_on_and_its_url_serves_the_file(client, shop):
    _token, key = api_token_create(user=shop.acme_admin, name="ERP", scopes=["customers:write"])
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    made = client.post(
        "/api/v1/feeds", {"format": "json", "language": "en"}, content_type="application/json", **headers
    )
    assert made.status_code == 201
    body = made.json()
    feed_write(body["id"])

    assert body["token"][-4:] == body["token_hint"] and body["url"].endswith(f"/feeds/{body['token']}/")
    served = client.get(f"/feeds/{body['token']}/")
    assert json.loads(b"".join(served.streaming_content))["catalog"]["buyer"] == "ACME"


def test_the_api_lists_rotates_and_revokes(client, shop):
    client.force_login(shop.acme_admin)
    made = client.post("/api/v1/feeds", {"format": "csv"}, content_type="application/json").json()

    assert [feed["id"] for feed in client.get("/api/v1/feeds").json()] == [made["id"]]
    rotated = client.post(f"/api/v1/feeds/{made['id']}/rotate").json()
    assert rotated["token"] != made["token"]
    assert client.delete(f"/api/v1/feeds/{made['id']}").status_code == 204
    assert client.get("/api/v1/feeds").json()[0]["is_active"] is False


def test_the_api_refuses_another_companys_feed_and_a_buyer(client, shop):
    from tandem.customers.models import CompanyRole
    from tests.factories import make_company_user

    client.force_login(shop.acme_admin)
    made = client.post("/api/v1/feeds", {"format": "csv"}, content_type="application/json").json()
    client.force_login(shop.balkan_admin)
    assert client.delete(f"/api/v1/feeds/{made['id']}").status_code == 404
    assert (
        client.post(
            "/api/v1/feeds", {"format": "csv", "company_id": shop.acme.pk}, content_type="application/json"
        ).status_code
        == 404
    )
    client.force_login(make_company_user(shop.acme, CompanyRole.BUYER))
    assert client.get("/api/v1/feeds").status_code == 403


def test_a_retried_create_with_the_same_idempotency_key_makes_one_feed(client, shop):
    client.force_login(shop.acme_admin)

    answers = [
        client.post(
            "/api/v1/feeds",
            {"format": "csv"},
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="feed-1",
        )
        for _ in range(2)
    ]

    assert [answer.status_code for answer in answers] == [201, 201]
    assert answers[0].json() == answers[1].json() and Feed.objects.count() == 1
