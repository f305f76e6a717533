from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.core.errors import DomainError
from tandem.core.translation import active_language
from tandem.service.assistant import assistant_handover as handover
from tandem.service.assistant import assistant_reply
from tandem.service.selectors import faq_by_category, faq_search

TRANSCRIPT = "assistant_transcript"  # the session's last exchanges: [question, answer] pairs
TRANSCRIPT_LENGTH = 10


def faq(request: HttpRequest) -> HttpResponse:
    """The FAQ in the reader's language, with a search (``?q=``)."""
    query = request.GET.get("q", "").strip()[:200]
    language = active_language()
    context = {"query": query, "language": language}
    if query:
        context["hits"] = faq_search(query, language, limit=20)
    else:
        context["groups"] = faq_by_category()
    return render(request, "service/faq.html", context)


@require_POST
def assistant(request: HttpRequest) -> HttpResponse:
    """The chat panel's question (htmx: the exchange as a fragment for the panel's log;
    without JavaScript: a page with it). The answer comes from ``service.assistant``."""
    text = request.POST.get("text", "").strip()[:1000]
    language = active_language()
    reply = (
        assistant_reply(
            text=text,
            user=request.user,
            context=getattr(request, "customer_context", None),
            language=language,
        )
        if text
        else None
    )
    if reply is not None:  # the conversation so far, passed on if the customer asks for a person
        exchanges = request.session.get(TRANSCRIPT, [])[-(TRANSCRIPT_LENGTH - 1) :]
        request.session[TRANSCRIPT] = [*exchanges, [text, reply.answer]]
    context = {"text": text, "reply": reply}
    if request.headers.get("HX-Request"):
        return render(request, "service/_assistant_exchange.html", context)
    return render(request, "service/assistant.html", context)


@require_POST
def assistant_handover(request: HttpRequest) -> HttpResponse:
    """ "Write to a person" in the panel: the question goes to the company's sales rep as a
    message thread, and the customer is taken to it."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("service:faq"))
    try:
        thread = handover(
            user=request.user,
            context=getattr(request, "customer_context", None),
            text=request.POST.get("text", ""),
            transcript=request.session.get(TRANSCRIPT, []),
        )
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("messaging:threads")
    request.session.pop(TRANSCRIPT, None)
    messages.success(request, _("Your question was passed to a person; the answer comes here."))
    return redirect("messaging:thread", thread_id=thread.pk)
