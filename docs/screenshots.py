"""Retake the README screenshots from a running demo shop (bin/demo).

.venv/bin/python docs/screenshots.py [http://127.0.0.1:8000]
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).parent / "screenshots"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def shoot(page, url: str, name: str) -> None:
    page.goto(BASE + url)
    page.wait_for_load_state("networkidle")
    for image in page.locator("img").all()[:12]:
        image.evaluate("img => img.loading = 'eager'")
    page.wait_for_function("[...document.images].slice(0, 12).every(i => i.complete)")
    page.screenshot(path=OUT / name)


def login(page, email: str, url: str = "/accounts/login/") -> None:
    page.goto(BASE + url)
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill("tandem-demo")
    page.locator("form [type=submit]").last.click()


def main() -> None:
    OUT.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        viewport = {"width": 1280, "height": 900}

        page = browser.new_page(viewport=viewport)
        shoot(page, "/c/power-tools/?f=power-source%3Acordless", "storefront.png")
        shoot(page, "/preferences/?language=pl&next=/search/%3Fq%3Dpi%C5%82a", "storefront-pl.png")
        page.goto(BASE + "/preferences/?language=en&next=/c/cordless-drills/")
        page.locator("article.card a").first.click()
        page.locator("[data-testid=add-to-cart] button").first.click()
        page.goto(BASE + "/cart/")
        page.get_by_test_id("coupon-input").fill("WELCOME10")
        page.get_by_test_id("apply-coupon").click()
        shoot(page, "/checkout/", "checkout.png")
        page.close()

        page = browser.new_page(viewport=viewport)
        login(page, "buyer@acme.example")
        shoot(page, "/c/wood-screws/", "b2b.png")
        shoot(page, "/account/company/", "b2b-company.png")
        page.goto(BASE + "/quick-order/")
        skus = page.evaluate("""async () => {
            const csv = await (await fetch('/api/v1/catalog/price-list.csv')).text();
            return csv.split('\\n').slice(1, 6).map(line => line.split(',')[0]);
        }""")
        page.get_by_test_id("quick-order-pad").fill(
            f"{skus[0]} 10\n{skus[1]} 4\n{skus[0]} 5\nXX-404 1\n{skus[2]} 2.5\n{skus[3]} 6"
        )
        page.get_by_test_id("quick-order-submit").click()
        page.screenshot(path=OUT / "quick-order.png")
        page.close()

        page = browser.new_page(viewport=viewport)
        login(page, "admin@example.com", "/admin/login/")
        shoot(page, "/admin/catalog/product/?category__id__exact=2", "admin.png")
        page.close()
        browser.close()


if __name__ == "__main__":
    main()
