"""The client panel's offers for a reseller's own clients, and the reseller's logo (thin:
pricing, permissions and checks are the services' and selectors')."""

from datetime import date, timedelta
from functools import partial, wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.core.errors import DomainError, NotFound, PermissionDenied
from tandem.quotes import resale_selectors as selectors
from tandem.quotes import resale_services as services
from tandem.quotes.line_pricing import MAX_LINES
from tandem.quotes.models import ResellerOffer
from tandem.quotes.resale_pdf import resale_offer_pdf

EMPTY_ROWS = 3  # blank lines for adding items


def reseller_required(view):
    """Users who may build offers for their own clients; others see why (403), anonymous
    visitors are sent to log in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            selectors.reseller_membership(request.user)
        except PermissionDenied as error:
            return render(request, "resale/refused.html", {"reason": error.message}, status=403)
        return view(request, *args, **kwargs)

    return wrapper


def _offer(request: HttpRequest, offer_id: int) -> ResellerOffer:
    try:
        return selectors.resale_offer_detail(request.user, offer_id)
    except NotFound as error:
        raise Http404 from error


def _details(request: HttpRequest) -> services.ResaleOfferInput:
    post = request.POST
    try:
        valid_until = date.fromisoformat(post["valid_until"][:10]) if post.get("valid_until") else None
    except ValueError:
        valid_until = date.min  # refused by the service as out of range
    skus, quantities, markups = post.getlist("sku"), post.getlist("quantity"), post.getlist("line_markup")
    lines = [
        services.ResaleLineInput(
            sku=sku,
            quantity=quantities[index] if index < len(quantities) else "",
            markup_percent=(markups[index] if index < len(markups) else "") or None,
        )
        for index, sku in enumerate(skus[: MAX_LINES + 1])
        if sku.strip()
    ]
    return services.ResaleOfferInput(
        client_name=post.get("client_name", ""),
        client_details=post.get("client_details", ""),
        language=post.get("language", "")[:8],
        markup_percent=post.get("markup_percent", "") or "0",
        valid_until=valid_until,
        notes=post.get("notes", ""),
        lines=lines,
    )


def _form_values(offer: ResellerOffer | None, request: HttpRequest) -> dict:
    """What the form shows: the submitted values after a refusal, else the offer's."""
    if request.method == "POST":
        post = request.POST
        rows = [
            {"sku": sku, "quantity": quantity, "markup": markup}
            for sku, quantity, markup in zip(
                post.getlist("sku"), post.getlist("quantity"), post.getlist("line_markup"), strict=False
            )
            if sku.strip()
        ]
        values = {
            name: post.get(name, "")
            for name in (
                "client_name",
                "client_details",
                "language",
                "markup_percent",
                "valid_until",
                "notes",
            )
        }
    elif offer is not None:
        rows = [
            {
                "sku": line.sku,
                "quantity": line.quantity,
                "markup": "" if line.markup_percent is None else line.markup_percent,
            }
            for line in offer.lines.all()
        ]
        values = {
            "client_name": offer.client_name,
            "client_details": offer.client_details,
            "language": offer.language,
            "markup_percent": offer.markup_percent,
            "valid_until": offer.valid_until.isoformat() if offer.valid_until else "",
            "notes": offer.notes,
        }
    else:
        rows = []
        values = {
            "client_name": "",
            "client_details": "",
            "language": request.LANGUAGE_CODE,
            "markup_percent": "0",
            "notes": "",
            "valid_until": (timezone.localdate() + timedelta(days=14)).isoformat(),
        }
    return {
        "values": values,
        "rows": rows + [{"sku": "", "quantity": "", "markup": ""}] * EMPTY_ROWS,
        "offer_languages": settings.LANGUAGES,
    }


@reseller_required
def offer_list(request: HttpRequest) -> HttpResponse:
    offers = selectors.resale_offers_of(request.user).select_related("created_by")
    return render(
        request,
        "resale/list.html",
        {
            "page": Paginator(offers, 25).get_page(request.GET.get("page")),
        },
    )


@reseller_required
def offer_new(request: HttpRequest) -> HttpResponse:
    problem = None
    if request.method == "POST":
        try:
            offer = services.resale_offer_create(user=request.user, details=_details(request))
        except DomainError as error:
            problem = error
        else:
            messages.success(request, _("The draft offer is saved."))
            return redirect("resale:edit", offer.pk)
    return render(
        request,
        "resale/edit.html",
        {"offer": None, "problem": problem, **_form_values(None, request)},
        status=400 if problem else 200,
    )


@reseller_required
def offer_edit(request: HttpRequest, offer_id: int) -> HttpResponse:
    """The offer with what the reseller pays, the mark-up and the sale price per line; a
    draft's form below."""
    offer = _offer(request, offer_id)
    problem = None
    if request.method == "POST":
        try:
            services.resale_offer_update(user=request.user, offer_id=offer.pk, details=_details(request))
        except NotFound as error:
            raise Http404 from error
        except DomainError as error:
            problem = error
        else:
            messages.success(request, _("The draft offer is saved."))
            return redirect("resale:edit", offer.pk)
    lines = list(offer.lines.all())
    return render(
        request,
        "resale/edit.html",
        {
            "offer": offer,
            "problem": problem,
            "lines": [(line, selectors.effective_markup(line, offer)) for line in lines],
            "summary": selectors.resale_summary(lines),
            **_form_values(offer, request),
        },
        status=400 if problem else 200,
    )


def _run(request: HttpRequest, action, done: str, to: str) -> HttpResponse:
    try:
        action()
    except NotFound as error:
        raise Http404 from error
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect(to)


@reseller_required
@require_POST
def offer_finalize(request: HttpRequest, offer_id: int) -> HttpResponse:
    return _run(
        request,
        partial(services.resale_offer_finalize, user=request.user, offer_id=offer_id),
        _("The offer is final; download the PDF for your client."),
        reverse("resale:edit", args=[offer_id]),
    )


@reseller_required
@require_POST
def offer_delete(request: HttpRequest, offer_id: int) -> HttpResponse:
    try:
        services.resale_offer_delete(user=request.user, offer_id=offer_id)
    except NotFound as error:
        raise Http404 from error
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("resale:edit", offer_id)
    messages.success(request, _("The draft is deleted."))
    return redirect("resale:list")


def offer_pdf_response(offer: ResellerOffer) -> HttpResponse:
    response = HttpResponse(resale_offer_pdf(offer), content_type="application/pdf")
    name = (offer.number or f"draft-{offer.pk}").replace("/", "-")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@reseller_required
def offer_pdf(request: HttpRequest, offer_id: int) -> HttpResponse:
    return offer_pdf_response(_offer(request, offer_id))


@require_POST
def company_logo(request: HttpRequest) -> HttpResponse:
    """Upload (or with "remove", drop) the logo on the reseller's offers; company admin."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("storefront:company"))
    if request.POST.get("remove"):
        action = partial(services.company_logo_remove, user=request.user)
        done = _("The logo is removed.")
    else:
        upload = request.FILES.get("logo")
        content = upload.read(services.MAX_LOGO_BYTES + 1) if upload is not None else b""
        action = partial(services.company_logo_set, user=request.user, content=content)
        done = _("The logo is saved; your offers carry it.")
    return _run(request, action, done, reverse("storefront:company") + "#logo")
