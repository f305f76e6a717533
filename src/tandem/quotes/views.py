"""The client panel's quotes: request, read offers and their changes, comment, accept
(thin: the services decide who may do what)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.cart.sessions import request_cart
from tandem.checkout.selectors import delivery_options
from tandem.checkout.services import CheckoutDetails, payment_methods_for
from tandem.core.errors import DomainError, NotFound
from tandem.customers import selectors as customers
from tandem.customers.models import AddressKind
from tandem.orders.models import PaymentMethod
from tandem.quotes import selectors, services
from tandem.quotes.line_pricing import MAX_LINES
from tandem.quotes.models import Quote
from tandem.quotes.pdf import offer_pdf as render_offer_pdf


def request_lines_from_text(text: str) -> list[services.RequestedLine]:
    """Lines of "SKU quantity [target price]" (spaces, tabs, commas or semicolons between)."""
    lines = []
    for raw in text.splitlines()[: MAX_LINES + 1]:
        parts = raw.replace(";", " ").replace("\t", " ").split()
        if not parts:
            continue
        lines.append(
            services.RequestedLine(
                sku=parts[0],
                quantity=parts[1] if len(parts) > 1 else "",
                target_price=parts[2] if len(parts) > 2 else None,
            )
        )
    return lines


def uploaded_files(request: HttpRequest) -> list[services.UploadedFile]:
    return [
        services.UploadedFile(name=upload.name, content=upload.read(services.MAX_FILE_BYTES + 1))
        for upload in request.FILES.getlist("files")[: services.MAX_FILES + 1]
    ]


def _quote(request: HttpRequest, quote_id: int) -> Quote:
    try:
        return selectors.quote_detail(
            selectors.quotes_of_customer(request.user, request.customer_context), quote_id
        )
    except NotFound as error:
        raise Http404 from error


def show_error(request: HttpRequest, error: DomainError) -> None:
    """The error and each of its lines as one message on the next page."""
    details = [
        f"{line.get('line', '')} {line['sku']}: {line['message']}".strip()
        for line in getattr(error, "lines", [])
    ]
    messages.error(request, " ".join([str(error.message), *details]))


@login_required
def quote_list(request: HttpRequest) -> HttpResponse:
    quotes = selectors.quotes_of_customer(request.user, request.customer_context).select_related("order")
    return render(
        request,
        "quotes/list.html",
        {
            "page": Paginator(quotes, 25).get_page(request.GET.get("page")),
        },
    )


@login_required
def quote_new(request: HttpRequest) -> HttpResponse:
    """A request as free text and/or "SKU quantity [target price]" lines, with files."""
    pad, message, problem = "", "", None
    if request.method == "POST":
        pad, message = request.POST.get("lines", ""), request.POST.get("message", "")
        try:
            quote = services.quote_request(
                user=request.user,
                context=request.customer_context,
                lines=request_lines_from_text(pad),
                message=message,
                files=uploaded_files(request),
            )
        except DomainError as error:
            problem = error
        else:
            messages.success(
                request,
                _("Request %(number)s is sent; your sales rep will prepare an offer.")
                % {"number": quote.number},
            )
            return redirect("quotes:detail", quote.pk)
    return render(
        request,
        "quotes/new.html",
        {"pad": pad, "message": message, "problem": problem},
        status=400 if problem else 200,
    )


@login_required
@require_POST
def quote_from_cart(request: HttpRequest) -> HttpResponse:
    try:
        quote = services.quote_request_from_cart(
            user=request.user,
            context=request.customer_context,
            cart=request_cart(request),
            message=request.POST.get("message", ""),
        )
    except DomainError as error:
        show_error(request, error)
        return redirect("cart:detail")
    messages.success(
        request,
        _("Request %(number)s is sent; your sales rep will prepare an offer.") % {"number": quote.number},
    )
    return redirect("quotes:detail", quote.pk)


@login_required
def quote_detail(request: HttpRequest, quote_id: int) -> HttpResponse:
    quote = _quote(request, quote_id)
    company = quote.company
    return render(
        request,
        "quotes/detail.html",
        {
            "quote": quote,
            "revisions": selectors.revision_history(quote),
            "current": selectors.current_offer(quote),
            "addresses": customers.addresses_of(company=company).filter(kind=AddressKind.DELIVERY),
            "payment_methods": sorted(  # on account first, as at checkout
                [
                    (code, label)
                    for code, label in PaymentMethod.choices
                    if code in payment_methods_for(request.customer_context, company)
                ],
                key=lambda choice: choice[0] != PaymentMethod.ON_ACCOUNT,
            ),
            "delivery_options": delivery_options(request.customer_context),
            "may_order": customers.may_place_orders(request.user),
        },
    )


@login_required
@require_POST
def quote_comment(request: HttpRequest, quote_id: int) -> HttpResponse:
    quote = _quote(request, quote_id)
    try:
        services.quote_comment(
            user=request.user,
            context=request.customer_context,
            quote=quote,
            text=request.POST.get("text", ""),
            changes_requested=request.POST.get("changes") == "1",
        )
    except DomainError as error:
        show_error(request, error)
    return redirect("quotes:detail", quote.pk)


@login_required
@require_POST
def offer_accept(request: HttpRequest, quote_id: int, revision: int) -> HttpResponse:
    quote = _quote(request, quote_id)
    try:
        address_id = int(request.POST.get("address_id") or 0) or None
    except ValueError:
        address_id = None
    details = CheckoutDetails(
        email=request.user.email,
        delivery_method=request.POST.get("delivery_method", "courier")[:40],
        payment_method=request.POST.get("payment_method", PaymentMethod.ON_ACCOUNT)[:16],
        address_id=address_id,
        po_number=request.POST.get("po_number", ""),
        comment=request.POST.get("comment", ""),
    )
    try:
        order = services.offer_accept(
            user=request.user,
            context=request.customer_context,
            quote=quote,
            revision=revision,
            details=details,
        )
    except NotFound as error:
        raise Http404 from error
    except DomainError as error:
        show_error(request, error)
        return redirect("quotes:detail", quote.pk)
    messages.success(
        request, _("Order %(number)s is placed at the offer's prices.") % {"number": order.number}
    )
    return redirect("orders:detail", order.number)


@login_required
@require_POST
def quote_decline(request: HttpRequest, quote_id: int) -> HttpResponse:
    quote = _quote(request, quote_id)
    try:
        services.quote_decline(
            user=request.user,
            context=request.customer_context,
            quote=quote,
            reason=request.POST.get("reason", ""),
        )
    except DomainError as error:
        show_error(request, error)
    return redirect("quotes:detail", quote.pk)


def offer_pdf_response(quote: Quote, revision: int, *, drafts: bool = False) -> HttpResponse:
    offer = quote.offers.filter(revision=revision).first()
    if offer is None or (offer.status == "draft" and not drafts):
        raise Http404
    response = HttpResponse(render_offer_pdf(offer), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{quote.number.replace("/", "-")}-rev{offer.revision}.pdf"'
    )
    return response


@login_required
def offer_pdf(request: HttpRequest, quote_id: int, revision: int) -> HttpResponse:
    return offer_pdf_response(_quote(request, quote_id), revision)


def attachment_response(quote: Quote, attachment_id: int) -> FileResponse:
    attachment = next((item for item in quote.attachments.all() if item.pk == attachment_id), None)
    if attachment is None:
        raise Http404
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


@login_required
def attachment(request: HttpRequest, quote_id: int, attachment_id: int) -> FileResponse:
    return attachment_response(_quote(request, quote_id), attachment_id)
