"""Punchout pages: the entry points procurement systems call (OCI, cXML), the one-time start
link, the cart's way back, and the company admin's page of connections (thin: the services
decide)."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from tandem.core.client_ip import client_ip
from tandem.core.errors import DomainError, NotFound
from tandem.customers.selectors import is_company_admin
from tandem.punchout import credentials, cxml, oci
from tandem.punchout.errors import CredentialRefused
from tandem.punchout.forms import CredentialForm
from tandem.punchout.mode import punchout_enter, punchout_leave, punchout_of
from tandem.punchout.models import Protocol
from tandem.punchout.services import (
    credential_authenticate,
    form_origin,
    punchout_session_claim,
    punchout_session_start,
    punchout_transfer,
    purchase_order_receive,
)

logger = logging.getLogger(__name__)


def _refused(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "punchout/refused.html", {"message": message}, status=status)


def _shop(request: HttpRequest, language: str = "") -> HttpResponse:
    response = redirect("storefront:home")
    if language and check_for_language(language) and language in dict(settings.LANGUAGES):
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
    return response


@csrf_exempt  # posted by SAP from another site; the credential's secret is the proof
@require_http_methods(["GET", "POST"])
def oci_login(request: HttpRequest) -> HttpResponse:
    """OCI catalog call: USERNAME, PASSWORD, HOOK_URL (any case) open a punchout session."""
    login = oci.login_read(request.POST, request.GET)
    try:
        credential = credential_authenticate(
            protocol=Protocol.OCI,
            identities=[cxml.Identity(domain="", identity=login.username)],
            secret=login.password,
        )
        session, _token = punchout_session_start(
            credential=credential,
            return_url=login.hook_url,
            language=login.language,
            remote_address=client_ip(request) or None,
        )
    except CredentialRefused as error:
        return _refused(request, str(error.message), 401)
    except DomainError as error:
        return _refused(request, str(error.message), 400)
    punchout_enter(request, session)
    return _shop(request, login.language)


def _body(request: HttpRequest) -> bytes:
    """The posted document; MessageTooLarge past ``cxml.MAX_MESSAGE_BYTES`` (said before the
    body is read when the client announces its length, and when Django refuses to read it)."""
    try:
        announced = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        announced = 0
    if announced > cxml.MAX_MESSAGE_BYTES:
        raise cxml.too_large()
    try:
        return request.body
    except RequestDataTooBig as error:
        raise cxml.too_large() from error


def _status_code(error: DomainError) -> int:
    return error.status if error.status in cxml.STATUS_TEXT else 400


@csrf_exempt  # machine to machine: the Sender's SharedSecret authenticates
@require_POST
def cxml_entry(request: HttpRequest) -> HttpResponse:
    """PunchOutSetupRequest → PunchOutSetupResponse with a one-time start URL; OrderRequest →
    an order (once per payloadID). Every answer is a cXML document with its Status."""
    language = "en"
    try:
        message = cxml.message_read(_body(request))
        language = message.header.language
        credential = credential_authenticate(
            protocol=Protocol.CXML, identities=message.header.sender, secret=message.header.shared_secret
        )
        if isinstance(message, cxml.SetupRequest):
            _session, token = punchout_session_start(
                credential=credential,
                return_url=message.return_url,
                buyer_cookie=message.buyer_cookie,
                operation=message.operation,
                language=language.split("-")[0].lower(),
                remote_address=client_ip(request) or None,
            )
            start = request.build_absolute_uri(reverse("punchout:start", args=[token]))
            body, status = cxml.setup_response(start, language), 200
        else:
            body, status = (
                purchase_order_receive(credential=credential, message=message).response.encode(),
                200,
            )
    except DomainError as error:
        status = _status_code(error)
        body = cxml.status_response(status, str(error.message), language)
    except Exception:  # the procurement system gets a cXML 500, the log the traceback
        logger.exception("cXML request failed")
        status = 500
        body = cxml.status_response(500, _("Unexpected error; try again later."), language)
    return HttpResponse(body, status=status, content_type="text/xml; charset=UTF-8")


def start(request: HttpRequest, token: str) -> HttpResponse:
    """The cXML start page: opens the waiting session once, in this browser."""
    try:
        session = punchout_session_claim(token=token)
    except DomainError as error:
        return _refused(request, str(error.message), 404)
    punchout_enter(request, session)
    return _shop(request, session.language)


@login_required
@require_POST
def transfer(request: HttpRequest) -> HttpResponse:
    """Price the cart for the company and send it back: a page whose form posts it to the
    procurement system (the browser submits it at once; a button when scripts are off). The
    browser is signed out: the punchout session is over."""
    session = punchout_of(request)
    if session is None:
        messages.error(request, _("This browser is not in a punchout session."))
        return redirect("cart:detail")
    try:
        sent = punchout_transfer(session=session, language=request.LANGUAGE_CODE)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("cart:detail")
    punchout_leave(request)
    response = render(request, "punchout/transfer.html", {"transfer": sent})
    # this page alone may post to the system's return address (the shop's CSP allows 'self')
    response.headers["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY.replace(
        "form-action 'self'", f"form-action 'self' {form_origin(sent.return_url)}", 1
    )
    return response


# --- the company admin's page -----------------------------------------------------------

NEW_SECRET_SESSION = "punchout_secret_new"  # shown once on the page, then forgotten


def _page() -> HttpResponse:
    return redirect(reverse("punchout:company"))


@login_required
@require_http_methods(["GET", "POST"])
def company(request: HttpRequest) -> HttpResponse:
    """The company's procurement-system connections, their sessions and purchase orders;
    the form that adds one (company admin)."""
    if not is_company_admin(request.user):
        messages.error(request, credentials.ONLY_ADMIN)
        return redirect("storefront:company")
    form = CredentialForm(request.POST or None, buyers=credentials.buyers_for(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            credential, secret = credentials.credential_create(
                actor=request.user,
                name=data["name"],
                protocol=data["protocol"],
                identity=data["identity"],
                domain=data["domain"],
                buyer_user_id=data["buyer_user_id"],
                vendor_number=data["vendor_number"],
                ip_address=client_ip(request) or None,
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            request.session[NEW_SECRET_SESSION] = {"name": credential.name, "secret": secret}
            messages.success(
                request, _("The connection is added. Copy the secret now: it is not shown again.")
            )
            return _page()
    return render(
        request,
        "punchout/company.html",
        {
            "form": form,
            "credentials": credentials.credentials_of(request.user),
            "sessions": credentials.sessions_of(request.user)[:20],
            "orders": credentials.orders_of(request.user)[:20],
            "new_secret": request.session.pop(NEW_SECRET_SESSION, None),
            "oci_url": request.build_absolute_uri(reverse("punchout:oci")),
            "cxml_url": request.build_absolute_uri(reverse("punchout:cxml")),
        },
    )


@login_required
@require_POST
def rotate(request: HttpRequest, credential_id: int) -> HttpResponse:
    try:
        credential, secret = credentials.credential_rotate(
            actor=request.user, credential_id=credential_id, ip_address=client_ip(request) or None
        )
    except NotFound as error:
        raise Http404 from error
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("storefront:company")
    request.session[NEW_SECRET_SESSION] = {"name": credential.name, "secret": secret}
    messages.success(request, _("A new secret is made; the old one no longer works. Copy it now."))
    return _page()


@login_required
@require_POST
def deactivate(request: HttpRequest, credential_id: int) -> HttpResponse:
    try:
        credentials.credential_deactivate(
            actor=request.user, credential_id=credential_id, ip_address=client_ip(request) or None
        )
    except NotFound as error:
        raise Http404 from error
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("storefront:company")
    messages.success(request, _("The connection is switched off; the system can no longer sign in."))
    return _page()
