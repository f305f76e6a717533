"""The shop as it runs: several gunicorn processes sharing one database and one cache."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest

SETUP = """
from tandem.customers.models import User
User.objects.create_user("shopper@example.com", "a-long-pass-phrase", full_name="Shopper")
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(TANDEM_VAR_DIR=str(var), DJANGO_SETTINGS_MODULE="tandem.settings")
    tandem = [sys.executable, "-m", "tandem.cli"]
    subprocess.run([*tandem, "manage", "migrate", "-v0"], env=env, check=True)
    subprocess.run([*tandem, "manage", "shell", "-c", SETUP], env=env, check=True)
    port = free_port()
    process = subprocess.Popen(
        [*tandem, "serve", "--port", str(port), "--workers", "3"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield base
    process.terminate()
    process.wait(timeout=20)


def test_logging_out_ends_the_session_in_every_server_process(server):
    jar = CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)

    def post(path: str, **data) -> None:
        page = browser.open(f"{server}/accounts/password-reset/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        try:
            browser.open(
                urllib.request.Request(f"{server}{path}", data=body, headers={"Referer": f"{server}/"})
            )
        except urllib.error.HTTPError as redirect:
            assert redirect.code == 302

    post("/accounts/login/", username="shopper@example.com", password="a-long-pass-phrase")
    session = next(cookie.value for cookie in jar if cookie.name == "sessionid")

    def signed_in_answers() -> int:
        replay = urllib.request.build_opener(NoRedirect)
        answers = 0
        for _ in range(30):  # spread over the processes
            request = urllib.request.Request(f"{server}/account/", headers={"Cookie": f"sessionid={session}"})
            try:
                replay.open(request)
                answers += 1
            except urllib.error.HTTPError as error:
                assert error.code == 302  # to the login page
        return answers

    assert signed_in_answers() == 30
    post("/accounts/logout/")
    assert signed_in_answers() == 0
