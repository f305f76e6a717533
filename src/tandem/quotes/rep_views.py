"""The rep panel's quotes: the requests of the rep's customers and the offer builder
(thin: pricing, floors and permissions are the services' and selectors')."""

from datetime import date, timedelta
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.core.errors import DomainError, NotFound
from tandem.quotes import selectors, services
from tandem.quotes.line_pricing import MAX_LINES
from tandem.quotes.models import OfferStatus, Quote, QuoteStatus
from tandem.quotes.views import attachment_response, offer_pdf_response, show_error

EMPTY_ROWS = 3  # blank lines in the builder for adding items


def rep_quotes_required(view):
    """Staff who may see quotes; others are refused (403), anonymous visitors sent to log in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (request.user.is_staff and request.user.has_perm("quotes.view_quote")):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _quote(request: HttpRequest, quote_id: int) -> Quote:
    try:
        return selectors.quote_detail(selectors.quotes_managed_by(request.user), quote_id)
    except NotFound as error:
        raise Http404 from error


@rep_quotes_required
def quote_list(request: HttpRequest) -> HttpResponse:
    quotes = selectors.quotes_managed_by(request.user).select_related("company", "sales_rep")
    status = request.GET.get("status", "open")
    if status == "open":
        quotes = quotes.filter(
            status__in=[QuoteStatus.REQUESTED, QuoteStatus.CHANGES_REQUESTED, QuoteStatus.OFFERED]
        )
    elif status in QuoteStatus.values:
        quotes = quotes.filter(status=status)
    if text := request.GET.get("q", "").strip()[:100]:
        quotes = quotes.filter(company__name__icontains=text) | quotes.filter(number__icontains=text)
    return render(
        request,
        "quotes/rep_list.html",
        {
            "page": Paginator(quotes.order_by("-updated_at", "-pk"), 25).get_page(request.GET.get("page")),
            "status": status,
            "statuses": QuoteStatus.choices,
            "q": request.GET.get("q", ""),
        },
    )


@rep_quotes_required
def quote_builder(request: HttpRequest, quote_id: int) -> HttpResponse:
    """The request, the draft being built (or the last revision to start from), with the
    customer's price, purchase price, margin and floor per line; earlier revisions below."""
    quote = _quote(request, quote_id)
    draft = quote.offers.filter(status=OfferStatus.DRAFT).first()
    base = draft or next(iter(selectors.sent_offers(quote)), None)
    if base is not None:
        rows = [
            {"sku": line.sku, "quantity": line.quantity, "unit_price": line.unit_price}
            for line in base.lines.all()
        ]
    else:
        rows = [
            {"sku": line.sku, "quantity": line.quantity, "unit_price": line.target_price or ""}
            for line in quote.requested_lines.all()
        ]
    rows += [{"sku": "", "quantity": "", "unit_price": ""}] * EMPTY_ROWS
    return render(
        request,
        "quotes/rep_builder.html",
        {
            "quote": quote,
            "draft": draft,
            "rows": rows,
            "builder_rows": selectors.builder_rows(draft) if draft else [],
            "terms": base or None,
            "default_valid_until": (timezone.localdate() + timedelta(days=14)).isoformat(),
            "revisions": selectors.revision_history(quote),
            "may_build": selectors.may_build_offers(request.user, quote),
            "may_approve_floor": request.user.has_perm("quotes.approve_below_floor"),
        },
    )


def _offer_lines(request: HttpRequest) -> list[services.OfferLineInput]:
    skus = request.POST.getlist("sku")
    quantities = request.POST.getlist("quantity")
    prices = request.POST.getlist("unit_price")
    discounts = request.POST.getlist("discount_percent")
    lines = []
    for index, sku in enumerate(skus[: MAX_LINES + 1]):
        if not sku.strip():
            continue
        lines.append(
            services.OfferLineInput(
                sku=sku,
                quantity=quantities[index] if index < len(quantities) else "",
                unit_price=(prices[index] if index < len(prices) else "") or None,
                discount_percent=(discounts[index] if index < len(discounts) else "") or None,
            )
        )
    return lines


def _terms(request: HttpRequest) -> services.OfferTerms:
    try:
        valid_until = date.fromisoformat(request.POST.get("valid_until", "")[:10])
    except ValueError:
        valid_until = None
    return services.OfferTerms(
        valid_until=valid_until,
        delivery_terms=request.POST.get("delivery_terms", ""),
        payment_terms=request.POST.get("payment_terms", ""),
        notes=request.POST.get("notes", ""),
    )


@rep_quotes_required
@require_POST
def draft_save(request: HttpRequest, quote_id: int) -> HttpResponse:
    """Save the draft; with "send" also send it (a price under the floor stops the sending,
    not the saving)."""
    quote = _quote(request, quote_id)
    try:
        send = request.POST.get("action") == "send"
        offer = services.offer_draft_save(
            rep=request.user, quote=quote, lines=_offer_lines(request), terms=_terms(request), send=send
        )
        if send:
            messages.success(
                request, _("Revision %(revision)d is sent to the customer.") % {"revision": offer.revision}
            )
        else:
            messages.success(request, _("The draft is saved."))
    except NotFound as error:
        raise Http404 from error
    except DomainError as error:
        show_error(request, error)
    return redirect("quotes:rep_detail", quote.pk)


@rep_quotes_required
@require_POST
def rep_comment(request: HttpRequest, quote_id: int) -> HttpResponse:
    quote = _quote(request, quote_id)
    try:
        services.quote_comment(user=request.user, quote=quote, text=request.POST.get("text", ""))
    except DomainError as error:
        show_error(request, error)
    return redirect("quotes:rep_detail", quote.pk)


@rep_quotes_required
def rep_offer_pdf(request: HttpRequest, quote_id: int, revision: int) -> HttpResponse:
    """Any revision, drafts too (to check before sending)."""
    return offer_pdf_response(_quote(request, quote_id), revision, drafts=True)


@rep_quotes_required
def rep_attachment(request: HttpRequest, quote_id: int, attachment_id: int) -> HttpResponse:
    return attachment_response(_quote(request, quote_id), attachment_id)
