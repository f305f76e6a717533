"""The benchmark of record: what a merchant's traffic looks like, against plain Django.

    .venv/bin/python bench/load.py [--products 100000] [--companies 1000] [--buyers 32]
                                   [--duration 10] [--workers 4] [--keep DIR]

Seeds the catalog (or reuses ``--keep``), starts Tandem (`tandem serve`) and a plain Django
5.2 hello-world project (`django-admin startproject`, DEBUG off, one JsonResponse view) under
gunicorn with the same number of workers, logs in many buyers of different companies and
loads both with wrk from the same machine, **interleaved**: before every Tandem scenario the
plain ceiling is measured again, and the scenario is reported as a ratio to that ceiling.

Scenarios (each line of the report names its requests):
- ``b2b mix``: every buyer (its own session) browses ≥ 20 categories × 3 pages and ≥ 200
  product pages, and one request in ten adds a random item to that buyer's cart;
- ``b2b category``: one buyer, one category page (the cached case);
- ``b2b category (cache miss)``: one buyer over the 20 categories × 3 pages on a second Tandem
  server started with ``CATALOG_CACHE_SECONDS=0 STOCK_CACHE_SECONDS=0``, so that every request
  builds its facets, cards, prices and stock from the database (the worst case: what the first
  visitor after a catalog change waits for);
- ``guest category``, ``products (200 URLs)``: anonymous visitors;
- ``add to cart``: every buyer adds random items (the write path, form POST with CSRF).
Before each row the same requests run for a warm-up (3 s; ``--warmup`` seconds before the mix,
whose 32 buyers × 260 pages fill the shared caches only after a while): the rows measure the
steady state, and the cache-miss row what a cold page costs.
After ``add to cart`` the carts are counted: every answered request must have added its unit
(the 16 requests still in flight when wrk stops may add theirs too).
Uses SQLite unless DATABASE_URL is set. Needs wrk (Debian: apt-get install wrk).
"""

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import datetime
from pathlib import Path

from measuring import login, wait_up, wrk_report  # noqa: E402 - run as a script from bench/

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
TARGETS = {
    "b2b mix": (0.15, 100),
    "b2b category": (0.20, 50),
    "b2b category (cache miss)": (0.05, None),
    "guest category": (0.30, None),
    "products (200 URLs)": (0.25, None),
    "add to cart": (0.10, 100),
}
LUA = r"""
local requests = {}
init = function(args)
  for line in io.lines(args[1]) do
    local method, path, cookie, body = line:match("([^\t]*)\t([^\t]*)\t([^\t]*)\t?(.*)")
    requests[#requests + 1] = {method = method, path = path, cookie = cookie, body = body}
  end
  counter = math.random(#requests)
end
request = function()
  counter = counter % #requests + 1
  local r = requests[counter]
  local headers = {["Host"] = "127.0.0.1"}
  if r.cookie ~= "" then headers["Cookie"] = r.cookie end
  if r.method == "POST" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    headers["Referer"] = "http://127.0.0.1/"
    return wrk.format("POST", r.path, headers, r.body)
  end
  return wrk.format("GET", r.path, headers)
end
"""


def tandem(*args: str, env: dict) -> None:
    subprocess.run([PYTHON, "-m", "tandem.cli", *args], env=env, check=True)


def wrk(base: str, requests_file: Path, duration: int, script: Path) -> dict:
    command = [
        "wrk",
        "-t2",
        "-c16",
        f"-d{duration}s",
        "--latency",
        "-s",
        str(script),
        base,
        "--",
        str(requests_file),
    ]
    return wrk_report(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


def write_requests(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    path.write_text("".join("\t".join(row) + "\n" for row in rows))
    return path


def plain_django(work: Path, port: int, workers: int) -> subprocess.Popen:
    """The ceiling: `django-admin startproject` as it comes, DEBUG off, one JsonResponse view."""
    project = work / "hello"
    if not project.exists():
        project.mkdir(parents=True)
        subprocess.run([str(BIN / "django-admin"), "startproject", "hello", str(project)], check=True)
        (project / "hello" / "urls.py").write_text(
            "from django.http import JsonResponse\nfrom django.urls import path\n\n"
            "def hello(request):\n    return JsonResponse({'hello': 'world'})\n\n"
            "urlpatterns = [path('', hello)]\n"
        )
        settings = project / "hello" / "settings.py"
        text = settings.read_text().replace("DEBUG = True", "DEBUG = False")
        settings.write_text(text.replace("ALLOWED_HOSTS = []", "ALLOWED_HOSTS = ['127.0.0.1', 'localhost']"))
    return subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--chdir",
            str(project),
            "hello.wsgi",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def catalog_sample(env: dict, buyers: int) -> dict:
    """URLs, buyers and SKUs read from the seeded database (in a child process)."""
    code = f"""
import django, json, random
django.setup()
from tandem.catalog.models import Category, Product, Variant
from tandem.customers.models import CompanyUser
from tandem.inventory.models import StockItem
rng = random.Random(7)
categories = [c.get_absolute_url() for c in Category.objects.filter(is_active=True, products__isnull=False)
              .distinct().order_by("pk")[:200]]
products = list(Product.objects.filter(is_active=True, b2b_restricted=False, visibility="both").order_by("pk")
                .values_list("slug", flat=True)[:5000])
stocked = (StockItem.objects.filter(on_hand__gte=100, variant__is_active=True,
           variant__product__is_active=True, variant__product__b2b_restricted=False,
           variant__product__visibility__in=["both", "b2b"], variant__min_quantity__lte=1,
           variant__quantity_step=1, variant__max_quantity__isnull=True)
           .values_list("variant__sku", flat=True)[:20000])
buyers = list(CompanyUser.objects.filter(role="buyer", is_active=True, user__email__endswith=".example")
              .order_by("company_id").values_list("user__email", flat=True)[:{buyers}])
print(json.dumps({{"categories": rng.sample(categories, min(20, len(categories))),
                  "products": ["/p/%s/" % slug for slug in rng.sample(products, min(200, len(products)))],
                  "skus": sorted(set(stocked)), "buyers": buyers}}))
"""
    import json

    output = subprocess.run([PYTHON, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def cart_units(env: dict) -> int:
    code = """
import django
django.setup()
from django.db.models import Sum
from tandem.cart.models import CartLine
print(CartLine.objects.filter(cart__user__isnull=False).aggregate(n=Sum("quantity"))["n"] or 0)
"""
    return int(
        subprocess.run([PYTHON, "-c", code], env=env, capture_output=True, text=True, check=True)
        .stdout.strip()
        .splitlines()[-1]
    )


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"


def commit() -> str:
    result = subprocess.run(
        ["git", "-C", str(ROOT), "describe", "--always", "--dirty"], capture_output=True, text=True
    )
    return result.stdout.strip() or "?"


def main() -> None:  # noqa: C901 - one script, read top to bottom
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--companies", type=int, default=1_000)
    parser.add_argument("--buyers", type=int, default=32)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--warmup", type=int, default=30, help="seconds of the mix before it is measured")
    parser.add_argument("--port", type=int, default=8781)
    parser.add_argument("--keep", help="reuse/keep this data folder (skips seeding when seeded)")
    parser.add_argument("--report", default=str(ROOT / "bench" / "LOAD.md"))
    parser.add_argument("--only", help="comma-separated scenarios to run (a partial report)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk not found: apt-get install wrk")
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="tandem-load-"))
    work.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "TANDEM_VAR_DIR": str(work),
        "DJANGO_SETTINGS_MODULE": "tandem.settings",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PYTHONPATH": str(ROOT / "src"),
    }
    database = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    database += " + Redis" if env.get("REDIS_URL") else ""
    tandem("manage", "migrate", "-v0", env=env)
    if not (work / ".seeded").exists():
        started = time.monotonic()
        tandem(
            "manage", "seed", "--products", str(args.products), "--companies", str(args.companies), env=env
        )
        (work / ".seeded").write_text(f"{time.monotonic() - started:.0f}")
    sample = catalog_sample(env, args.buyers)
    # a cold start: nothing cached by an earlier run (the file cache or Redis outlives servers)
    tandem("manage", "shell", "-c", "from django.core.cache import cache; cache.clear()", env=env)
    base, plain = f"http://127.0.0.1:{args.port}", f"http://127.0.0.1:{args.port + 1}"
    server = subprocess.Popen(
        [PYTHON, "-m", "tandem.cli", "serve", "--port", str(args.port), "--workers", str(args.workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    ceiling = plain_django(work, args.port + 1, args.workers)
    # the same shop with every catalog cache off: each request builds its page from the database
    uncached = f"http://127.0.0.1:{args.port + 2}"
    cold_server = subprocess.Popen(
        [PYTHON, "-m", "tandem.cli", "serve", "--port", str(args.port + 2), "--workers", str(args.workers)],
        env={**env, "CATALOG_CACHE_SECONDS": "0", "STOCK_CACHE_SECONDS": "0"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # idle (no CPU) while the other rows run
    rows, script = [], work / "rotate.lua"
    script.write_text(LUA)
    try:
        wait_up(f"{base}/healthz")
        wait_up(f"{plain}/")
        wait_up(f"{uncached}/healthz")
        sessions = [login(base, email, "tandem-demo") for email in sample["buyers"]]
        rng = random.Random(11)
        pages = [f"{category}?page={page}" for category in sample["categories"] for page in (1, 2, 3)]
        pages += sample["products"]

        def add(cookie: str, token: str) -> tuple[str, str, str, str]:
            body = urllib.parse.urlencode(
                {
                    "csrfmiddlewaretoken": token,
                    "sku": rng.choice(sample["skus"]),
                    "quantity": "1",
                    "next": "/cart/",
                }
            )
            return ("POST", "/cart/add/", cookie, body)

        mix = []
        for cookie, token in sessions:
            for path in rng.sample(pages, len(pages)):
                mix.append(("GET", path, cookie, ""))
                if rng.random() < 0.1:
                    mix.append(add(cookie, token))
        rng.shuffle(mix)
        scenarios = {
            "b2b mix": mix,
            "b2b category": [("GET", sample["categories"][0], sessions[0][0], "")],
            "b2b category (cache miss)": [
                ("GET", f"{c}?page={p}", sessions[0][0], "") for c in sample["categories"] for p in (1, 2, 3)
            ],
            "guest category": [
                ("GET", f"{c}?page={p}", "", "") for c in sample["categories"] for p in (1, 2, 3)
            ],
            "products (200 URLs)": [("GET", path, "", "") for path in sample["products"]],
            "add to cart": [add(cookie, token) for cookie, token in sessions for _ in range(50)],
        }
        hello_file = write_requests(work / "hello.tsv", [("GET", "/", "", "")])
        wanted = set(args.only.split(",")) if args.only else set(scenarios)
        for name, requests in scenarios.items():
            if name not in wanted:
                continue
            file = write_requests(
                work / f"{name.replace(' ', '_').replace('(', '').replace(')', '')}.tsv", requests
            )
            target = uncached if name == "b2b category (cache miss)" else base
            wrk(target, file, args.warmup if name == "b2b mix" else 3, script)  # warm-up
            before = cart_units(env) if name == "add to cart" else 0
            hello = wrk(plain, hello_file, args.duration, script)
            result = wrk(target, file, args.duration, script)
            result["ceiling"] = hello["rate"]
            if name == "add to cart":
                result["added"] = cart_units(env) - before
            rows.append((name, result))
            print(name, result, flush=True)
    finally:
        for process in (server, ceiling, cold_server):
            process.terminate()
            process.wait(timeout=30)
    lines = [
        f"# Load benchmark ({database})\n",
        f"`bench/load.py --products {args.products} --companies {args.companies} "
        f"--buyers {len(sample['buyers'])} "
        f"--workers {args.workers} --duration {args.duration} --warmup {args.warmup}` — commit {commit()}, "
        f"{datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, load average {load_average()} at the end; "
        f"wrk -t2 -c16 on the same 2-core machine. Tandem: `tandem serve --workers {args.workers}`; ceiling: "
        f"a plain Django project (startproject, DEBUG off, one JsonResponse view) under gunicorn "
        f"-w {args.workers}, measured right before each row. Each row follows a warm-up of the same "
        f"requests (3 s; the mix {args.warmup} s); the cache-miss row runs on a second Tandem with "
        f"CATALOG_CACHE_SECONDS=0 STOCK_CACHE_SECONDS=0.\n",
        "| scenario | req/s | plain Django req/s | ratio | target | p99 ms | errors | verdict |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, result in rows:
        ratio = result["rate"] / result["ceiling"]
        target, p99_target = TARGETS[name]
        ok = (
            ratio >= target and (p99_target is None or result["p99_ms"] < p99_target) and not result["errors"]
        )
        if "added" in result:
            # every answered request added its unit; the 16 still in flight when wrk stops may too
            ok = ok and result["requests"] <= result["added"] <= result["requests"] + 16
        errors = str(result["errors"]) + (
            f" (added {result['added']} of {result['requests']})" if "added" in result else ""
        )
        limit = f"≥ {target:.0%}" + (f", p99 < {p99_target} ms" if p99_target else "")
        lines.append(
            f"| {name} | {result['rate']:.0f} | {result['ceiling']:.0f} | {ratio:.1%} | {limit} | "
            f"{result['p99_ms']:.0f} | {errors} | {'pass' if ok else 'FAIL'} |"
        )
    Path(args.report).write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
