"""What the benchmarks share: running `tandem manage` and shell commands, timing a function
(median of runs after a warm-up, garbage collected first), and for the HTTP benchmarks
waiting for a server, signing a user in and reading wrk's report."""

import gc
import re
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

PYTHON = sys.executable


def manage(*args: str, env: dict) -> None:
    subprocess.run([PYTHON, "-m", "tandem.cli", "manage", *args], env=env, check=True)


def shell(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()


def timed(function) -> float:
    gc.collect()
    started = time.perf_counter()
    function()
    return (time.perf_counter() - started) * 1000


def median_ms(function, repeat: int) -> tuple[float, list[float]]:
    """Median of ``repeat`` runs after one warm-up run (not counted)."""
    function()
    runs = [timed(function) for _ in range(repeat)]
    return statistics.median(runs), runs


def wait_up(url: str, seconds: int = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()  # noqa: S310
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server did not start: {url}")


def login(base: str, email: str, password: str) -> tuple[str, str]:
    """(Cookie header, CSRF token) of a session signed in through the login form."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"username": email, "password": password, "csrfmiddlewaretoken": token})
    opener.open(
        urllib.request.Request(
            f"{base}/accounts/login/", data=data.encode(), headers={"Referer": f"{base}/accounts/login/"}
        )
    )
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        raise SystemExit(f"could not sign in {email}")
    return "; ".join(f"{name}={value}" for name, value in cookies.items()), cookies["csrftoken"]


def wrk_report(output: str) -> dict:
    """Requests per second, answered requests, p99 (ms) and errors (non-2xx/3xx, socket) of a
    `wrk --latency` run."""
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    total = int(re.search(r"(\d+) requests in", output).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", output)
    p99_ms = float(p99.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses:\s*(\d+)", output))
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if socket:
        errors += sum(int(n) for n in socket.groups())
    return {"rate": rate, "p99_ms": p99_ms, "errors": errors, "requests": total}
