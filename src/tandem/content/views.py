"""Articles, static pages, the sitemap and robots.txt: thin views over ``content.selectors``."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from tandem.content import selectors
from tandem.core.errors import NotFound


def articles(request: HttpRequest) -> HttpResponse:
    """The public articles, newest first, of one category (``?category=``) or all, paged."""
    category = None
    category_slug = request.GET.get("category", "")[:80]
    if category_slug:
        try:
            category = selectors.article_category_by_slug(category_slug)
        except NotFound as error:
            raise Http404 from error
    page = selectors.article_page(category=category, page_number=request.GET.get("page", 1))
    return render(
        request,
        "content/article_list.html",
        {"page": page, "category": category, "categories": selectors.article_categories()},
    )


def article(request: HttpRequest, slug: str) -> HttpResponse:
    """An article with its product blocks as this reader sees them (their price, stock)."""
    try:
        found = selectors.article_published(slug)
    except NotFound as error:
        raise Http404 from error
    cards = selectors.article_product_cards(request.customer_context, found)
    return render(request, "content/article_detail.html", {"article": found, "cards": cards})


def page(request: HttpRequest, slug: str) -> HttpResponse:
    """A published static page (terms, privacy, delivery, contact…)."""
    try:
        found = selectors.page_published(slug)
    except NotFound as error:
        raise Http404 from error
    return render(request, "content/page.html", {"page": found})


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers: the shop's pages yes, accounts, carts and the admin no; where the sitemap is."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /account/",
        "Disallow: /accounts/",
        "Disallow: /cart/",
        "Disallow: /checkout/",
        "Disallow: /api/",
        f"Sitemap: {request.build_absolute_uri(reverse('content:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
