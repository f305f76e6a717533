"""Threads with the sales rep, in the client panel (/account/messages/) and in the rep panel
(/rep/messages/). Thin views: who may write where is decided by ``threads`` and the reads
are ``selectors``; a thread outside the user's reach is a 404.

A rep acting for a customer writes on the client-panel pages as the rep; staff who are not
acting are sent to the rep panel's pages."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tandem.core.context import CustomerContext
from tandem.core.errors import DomainError, NotFound
from tandem.messaging import selectors, threads
from tandem.messaging.models import Thread
from tandem.orders.selectors import may_manage_orders

PAGE_SIZE = 20


def _id(value: str | None) -> int | None:
    """A positive id from a form or a query string (anything else: None)."""
    value = (value or "").strip()
    return int(value) if value.isdigit() and 0 < len(value) <= 12 else None


def _client_context(request: HttpRequest) -> CustomerContext | None:
    """The context the client panel writes in; None for staff who are not acting for a
    customer (their pages are the rep panel's)."""
    context = request.customer_context
    if request.user.is_staff and not context.on_behalf_of_id:
        return None
    return context


def rep_messages_required(view):
    """Staff who see every order, or a rep with customers; others are refused (403),
    anonymous visitors sent to log in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_manage_orders(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _start(request: HttpRequest, context: CustomerContext | None, about: dict) -> Thread:
    """Start the thread the POSTed form describes (NotFound, MessageInvalid, NoSalesRep)."""
    company_id = _id(request.POST.get("company"))
    return threads.thread_start(
        user=request.user,
        context=context,
        subject=request.POST.get("subject", ""),
        text=request.POST.get("text", ""),
        order=about["order"],
        quote=about["quote"],
        company=selectors.company_to_message(request.user, context, company_id) if company_id else None,
    )


def _posted_thread(request: HttpRequest, context: CustomerContext | None, about: dict, thread_page: str):
    """On POST, start the thread and go to it (the response), or the refusal to show on the
    form again; (None, None) for a GET."""
    if request.method != "POST":
        return None, None
    try:
        thread = _start(request, context, about)
    except NotFound as error:
        raise Http404 from error
    except DomainError as error:
        return None, error
    messages.success(request, _("Your message is sent."))
    return redirect(thread_page, thread.pk), None


def _about(request: HttpRequest, context: CustomerContext | None) -> dict:
    """The order or quote a list is narrowed to (``?order=<number>``, ``?quote=<id>``), and
    that a new thread is attached to; a foreign one is a 404."""
    params = request.POST if request.method == "POST" else request.GET
    number, quote_id = params.get("order", "").strip(), _id(params.get("quote"))
    if params.get("quote", "").strip() and quote_id is None:
        raise Http404
    try:
        return {
            "order": selectors.order_to_discuss(request.user, context, number) if number else None,
            "quote": selectors.quote_to_discuss(request.user, context, quote_id) if quote_id else None,
        }
    except NotFound as error:
        raise Http404 from error


def _list_page(
    request: HttpRequest, context: CustomerContext | None, about: dict, filters: selectors.ThreadFilters
) -> Paginator:
    order, quote = about["order"], about["quote"]
    filters = selectors.ThreadFilters(
        company_id=filters.company_id,
        unread_first=filters.unread_first,
        unread_only=filters.unread_only,
        order_id=order.pk if order else None,
        quote_id=quote.pk if quote else None,
    )
    return Paginator(selectors.thread_list(request.user, context, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )


def _conversation(
    request: HttpRequest,
    context: CustomerContext | None,
    thread: Thread,
    template: str,
) -> HttpResponse:
    """Post a reply (then back to the thread), or show the thread and mark it read; messages
    by others since the user's last visit are marked new."""
    problem, text = None, ""
    if request.method == "POST":
        text = request.POST.get("text", "")
        try:
            threads.message_post(user=request.user, context=context, thread=thread, text=text)
        except NotFound as error:
            raise Http404 from error
        except DomainError as error:
            problem = error
        else:
            return redirect(request.path + "#latest")
    new_ids = selectors.messages_new_to(request.user, thread)
    threads.thread_read(user=request.user, thread=thread)
    return render(
        request,
        template,
        {"thread": thread, "new_ids": new_ids, "problem": problem, "text": text},
        status=problem.status if problem else 200,
    )


# --- the client panel ---------------------------------------------------------------------------


@login_required
def thread_list(request: HttpRequest) -> HttpResponse:
    """The company's threads with its rep, unread ones marked; POST starts one (optionally
    about an order or a quote)."""
    context = _client_context(request)
    if context is None:
        return redirect("messaging:rep_threads")
    about = _about(request, context)
    sent, problem = _posted_thread(request, context, about, "messaging:thread")
    if sent is not None:
        return sent
    company = selectors.companies_to_message(request.user, context).select_related("sales_rep").first()
    return render(
        request,
        "messaging/threads.html",
        {
            "page": _list_page(request, context, about, selectors.ThreadFilters()),
            "company": company,
            "acting": bool(context.on_behalf_of_id),
            "problem": problem,
            "values": request.POST,
            **about,
        },
        status=problem.status if problem else 200,
    )


@login_required
def thread_detail(request: HttpRequest, thread_id: int) -> HttpResponse:
    """One conversation; opening it marks it read; POST replies."""
    context = _client_context(request)
    if context is None:
        return redirect("messaging:rep_thread", thread_id)
    try:
        thread = selectors.thread_detail(request.user, context, thread_id)
    except NotFound as error:
        raise Http404 from error
    return _conversation(request, context, thread, "messaging/thread.html")


# --- the rep panel ----------------------------------------------------------------------------


@rep_messages_required
def rep_thread_list(request: HttpRequest) -> HttpResponse:
    """The rep's customers' threads, unread first, narrowed to one company on request; POST
    starts a thread with a customer (or about one of its quotes or orders)."""
    about = _about(request, None)
    sent, problem = _posted_thread(request, None, about, "messaging:rep_thread")
    if sent is not None:
        return sent
    company_id = _id(request.GET.get("company"))
    filters = selectors.ThreadFilters(
        company_id=company_id, unread_first=True, unread_only=request.GET.get("unread") == "1"
    )
    return render(
        request,
        "messaging/rep_threads.html",
        {
            "page": _list_page(request, None, about, filters),
            "problem": problem,
            "values": request.POST,
            "companies": selectors.companies_to_message(request.user).values_list("pk", "name")[:500],
            "company_id": company_id,
            "unread_only": filters.unread_only,
            **about,
        },
        status=problem.status if problem else 200,
    )


@rep_messages_required
def rep_thread_detail(request: HttpRequest, thread_id: int) -> HttpResponse:
    try:
        thread = selectors.thread_detail(request.user, None, thread_id)
    except NotFound as error:
        raise Http404 from error
    return _conversation(request, None, thread, "messaging/rep_thread.html")
