from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

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
