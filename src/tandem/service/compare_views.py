"""The comparison page and its buttons (thin: parse, call ``service.compare``, render).

Changes are POSTs that redirect back (post/redirect/get). The "Compare" button of product
pages and cards sends htmx requests: it is then answered with a small fragment that takes
its place, so a shopper stays where they were on a listing."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.core.errors import DomainError
from tandem.core.redirects import safe_next
from tandem.service.compare import (
    MAX_PRODUCTS,
    compare_add,
    compare_clear,
    compare_ids,
    compare_remove,
    comparison,
)


def compare(request: HttpRequest) -> HttpResponse:
    """The visitor's comparison (``?differences=1``: only the rows whose values differ)."""
    table = comparison(request.customer_context, compare_ids(request.session))
    only_differences = request.GET.get("differences") == "1"
    rows = [row for row in table.rows if row.differs] if only_differences else table.rows
    return render(
        request,
        "service/compare.html",
        {
            "table": table,
            "rows": rows,
            "only_differences": only_differences,
            "max_products": MAX_PRODUCTS,
            "columns": len(table.products) + 1,
        },
    )


def _product_id(request: HttpRequest) -> int | None:
    raw = request.POST.get("product", "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) <= 18 else None


@require_POST
def compare_add_view(request: HttpRequest) -> HttpResponse:
    """Add a product; a full comparison or a product the visitor may not see is said in a
    message (or in the fragment for htmx), never an error page."""
    product_id = _product_id(request)
    try:
        if product_id is None:
            raise DomainError(_("This product is not available."))
        product = compare_add(
            session=request.session, context=request.customer_context, product_id=product_id
        )
    except DomainError as error:
        text, ok = str(error.message), False
    else:
        count = len(compare_ids(request.session))
        text = _("“%(name)s” is in your comparison (%(count)s of %(max)s).") % {
            "name": product.tr("name"),
            "count": count,
            "max": MAX_PRODUCTS,
        }
        ok = True
    if request.headers.get("HX-Request"):
        return render(request, "service/_compare_added.html", {"text": text, "ok": ok})
    if ok:
        messages.success(
            request, format_html('{} <a href="{}">{}</a>', text, reverse("service:compare"), _("Compare now"))
        )
    else:
        messages.error(request, text)
    return redirect(safe_next(request, "service:compare", referer=True))


@require_POST
def compare_remove_view(request: HttpRequest) -> HttpResponse:
    product_id = _product_id(request)
    if product_id is not None:
        compare_remove(session=request.session, product_id=product_id)
    return redirect(safe_next(request, "service:compare"))


@require_POST
def compare_clear_view(request: HttpRequest) -> HttpResponse:
    compare_clear(session=request.session)
    return redirect("service:compare")
