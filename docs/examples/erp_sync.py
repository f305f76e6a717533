"""Sync an ERP with Tandem: pull new and changed orders, look up the account's prices.

Only the Python standard library. Run it every few minutes (cron):

    TANDEM_URL=https://shop.example.com TANDEM_TOKEN=tdm_… python erp_sync.py

It keeps its place in ``erp_sync.cursor`` (next to it, or ``TANDEM_CURSOR_FILE``), so each
run takes only what changed since the last one. Each step prints one JSON line; replace the
prints with your ERP's calls. ``call(..., key=…)`` sends an ``Idempotency-Key`` for writes.
"""

import json
import os
import sys
import urllib.error
import urllib.request
from pathlib import Path

BASE = os.environ.get("TANDEM_URL", "http://127.0.0.1:8000").rstrip("/") + "/api/v1"
TOKEN = os.environ["TANDEM_TOKEN"]
CURSOR_FILE = Path(os.environ.get("TANDEM_CURSOR_FILE", Path(__file__).with_suffix(".cursor")))
if not BASE.startswith(("https://", "http://")):
    raise SystemExit("TANDEM_URL must be an http:// or https:// address.")


def call(method: str, path: str, body: dict | None = None, *, key: str | None = None) -> dict:
    """One API call; a problem answer (4xx/5xx) is raised with its code and detail."""
    request = urllib.request.Request(BASE + path, method=method)  # noqa: S310 (http(s) only, checked above)
    request.add_header("Authorization", f"Bearer {TOKEN}")
    request.add_header("Accept", "application/json")
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        request.add_header("Content-Type", "application/json")
    if key:
        request.add_header("Idempotency-Key", key)
    try:
        with urllib.request.urlopen(request, data=data, timeout=30) as response:  # noqa: S310 (your own URL)
            return json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        problem = json.loads(error.read() or b"{}")
        raise SystemExit(
            f"{method} {path}: {error.code} {problem.get('code')}: {problem.get('detail')}"
        ) from None


def pull_orders() -> list[dict]:
    """Every order changed since the last run (all of them the first time)."""
    cursor = CURSOR_FILE.read_text().strip() if CURSOR_FILE.exists() else ""
    taken = []
    while True:
        query = f"?limit=100&cursor={cursor}" if cursor else "?limit=100"
        page = call("GET", "/orders/changes" + query)
        taken += page["items"]
        if not page["items"]:
            break
        cursor = page["next_cursor"]
        CURSOR_FILE.write_text(cursor)  # saved per page: a crash resumes where it stopped
    return taken


def main() -> None:
    for order in pull_orders():
        print(
            json.dumps({"order": order["number"], "status": order["status"], "total": order["total_gross"]})
        )
    skus = sys.argv[1:] or ["NO-SUCH-SKU"]
    for price in call("POST", "/catalog/prices", {"skus": skus, "quantity": 1}):
        print(json.dumps({"sku": price["sku"], "price": price["price"]["amount"]}))


if __name__ == "__main__":
    main()
