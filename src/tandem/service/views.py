from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from tandem.service.assistant import assistant_reply
from tandem.service.selectors import faq_by_category, faq_search


def faq(request: HttpRequest) -> HttpResponse:
    """The FAQ in the reader's language, with a search (``?q=``)."""
    query = request.GET.get("q", "").strip()[:200]
    language = (get_language() or "en").split("-")[0]
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
    language = (get_language() or "en").split("-")[0]
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
    context = {"text": text, "reply": reply}
    if request.headers.get("HX-Request"):
        return render(request, "service/_assistant_exchange.html", context)
    return render(request, "service/assistant.html", context)
