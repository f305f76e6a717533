"""The polling examples of docs/partners.md, sent as written."""

import io
import re
import shlex
import urllib.request
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlsplit

from tests.feeds.conftest import content, written

DOC = Path(__file__).resolve().parents[2] / "docs" / "partners.md"
EXAMPLE_URL = "https://shop.example.com/feeds/tfd_your-secret-token/"


def example(tag: str) -> str:
    return re.search(rf"```\w+ {tag}\n(.*?)```", DOC.read_text(), re.S).group(1)


def test_the_curl_example_gets_a_304_while_the_feed_is_unchanged(client, shop):
    feed, token = written(shop.acme, shop.acme_admin, "bmecat")
    words = shlex.split(example("feed-poll-curl").replace("\\\n", " "))
    headers = dict(words[index + 1].split(": ", 1) for index, word in enumerate(words) if word == "-H")
    url = words[-1]
    assert (headers, url) == ({"If-None-Match": '"etag-from-the-last-download"'}, EXAMPLE_URL)

    sent = {"HTTP_IF_NONE_MATCH": feed.etag}  # the ETag of the last download, as the doc says
    response = client.get(urlsplit(url.replace("tfd_your-secret-token", token)).path, **sent)

    assert response.status_code == 304


def test_the_python_example_downloads_then_gets_nothing_new(client, shop, monkeypatch):
    feed, token = written(shop.acme, shop.acme_admin, "csv")

    def urlopen(request, timeout):
        """The shop's answer to the request the example builds, through the test client."""
        headers = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in request.header_items()}
        response = client.get(urlsplit(request.full_url).path, **headers)
        if response.status_code >= 300:
            raise HTTPError(request.full_url, response.status_code, "", response.headers, io.BytesIO())
        body = io.BytesIO(b"".join(response.streaming_content))
        body.headers = response.headers
        return body

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    namespace: dict = {}
    exec(example("feed-poll-python"), namespace)  # noqa: S102 - the documented example itself
    namespace["FEED_URL"] = namespace["FEED_URL"].replace("tfd_your-secret-token", token)

    body, etag = namespace["fetch_feed"]()
    assert (body, etag) == (content(feed), feed.etag)
    assert namespace["fetch_feed"](etag) == (None, feed.etag)
