"""The feed's public URL: the file for the token's holder, 304 while it holds, 404 otherwise."""

import pytest
from django.utils.http import http_date

from tandem.feeds.models import Feed
from tandem.feeds.services import feed_create, feed_revoke, feed_rotate
from tests.feeds.conftest import content, written


def test_the_token_gets_the_file_with_its_validators(client, shop):
    feed, token = written(shop.acme, shop.acme_admin, "bmecat")

    response = client.get(f"/feeds/{token}/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content(feed)
    assert (response["Content-Type"], response["ETag"], response["Cache-Control"]) == (
        "application/xml; charset=utf-8",
        feed.etag,
        "private, max-age=300",
    )
    assert response["Last-Modified"] == http_date(feed.modified_at.timestamp())
    assert Feed.objects.get(pk=feed.pk).fetch_count == 1


def test_if_none_match_answers_304_without_the_file(client, shop):
    feed, token = written(shop.acme, shop.acme_admin, "csv")
    feed.file.storage.delete(feed.file.name)  # proves the file is not read

    response = client.get(f"/feeds/{token}/", HTTP_IF_NONE_MATCH=feed.etag)

    assert (response.status_code, response.content, response["ETag"]) == (304, b"", feed.etag)


def test_if_modified_since_answers_304_when_nothing_changed(client, shop):
    feed, token = written(shop.acme, shop.acme_admin, "csv")

    response = client.get(f"/feeds/{token}/", HTTP_IF_MODIFIED_SINCE=http_date(feed.modified_at.timestamp()))

    assert response.status_code == 304


def test_a_changed_feed_answers_in_full_to_the_old_etag(client, shop):
    feed, token = written(shop.acme, shop.acme_admin, "csv")

    response = client.get(f"/feeds/{token}/", HTTP_IF_NONE_MATCH='"something-older"')

    assert response.status_code == 200


@pytest.mark.parametrize("how", ["revoked", "rotated"])
def test_a_revoked_or_rotated_away_token_is_not_found(client, shop, how):
    feed, token = written(shop.acme, shop.acme_admin, "csv")
    if how == "revoked":
        feed_revoke(feed=feed, actor=shop.acme_admin)
    else:
        new_token = feed_rotate(feed=feed, actor=shop.acme_admin)
        assert client.get(f"/feeds/{new_token}/").status_code == 200

    assert client.get(f"/feeds/{token}/").status_code == 404


def test_an_unknown_token_is_not_found(client, shop):
    assert client.get("/feeds/tfd_" + "x" * 43 + "/").status_code == 404


def test_a_feed_not_yet_written_asks_to_come_back(client, shop):
    _feed, token = feed_create(actor=shop.acme_admin, company=shop.acme, file_format="csv", language="en")

    response = client.get(f"/feeds/{token}/")

    assert (response.status_code, response["Retry-After"]) == (503, "60")


def test_too_many_requests_from_one_address_are_slowed_down(client, shop, settings):
    settings.FEED_RATE_LIMIT_PER_MINUTE = 2
    _feed, token = written(shop.acme, shop.acme_admin, "csv")

    statuses = [client.get(f"/feeds/{token}/").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
