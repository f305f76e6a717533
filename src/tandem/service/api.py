"""The FAQ over the API (public): every published answer, or those matching ``q``, in the
caller's language (``language``, else the request's)."""

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Field, Query, Router, Schema

from tandem.service.markdown import markdown_html
from tandem.service.models import FaqEntry
from tandem.service.selectors import faq_by_category, faq_search

router = Router(tags=["service"])
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


class FaqQuery(Schema):
    q: str = Field("", max_length=200, description="words to look for; empty: every answer")
    language: str = Field("", max_length=8, description="en, pl, bg or ru; default: the request's")


class FaqEntryOut(Schema):
    id: int
    category: str = Field(description="the category's slug")
    category_name: str
    question: str
    answer: str = Field(description="Markdown")
    answer_html: str = Field(description="the answer as safe HTML")
    score: float | None = Field(None, description="with q: how well it matches, 0–1.3")

    @staticmethod
    def of(entry: FaqEntry, language: str, score: float | None = None) -> "FaqEntryOut":
        answer = entry.tr("answer", language)
        return FaqEntryOut(
            id=entry.pk,
            category=entry.category.slug,
            category_name=entry.category.tr("name", language),
            question=entry.tr("question", language),
            answer=answer,
            answer_html=markdown_html(answer),
            score=score,
        )


@router.get("/faq", response=list[FaqEntryOut], auth=None)
def faq(request: HttpRequest, params: Query[FaqQuery]):
    """The published questions and answers by category, or — with ``q`` — the best matches
    for those words first (diacritics and word endings do not matter)."""
    language = params.language if params.language in LANGUAGES else (get_language() or "en").split("-")[0]
    if params.q.strip():
        return [FaqEntryOut.of(hit.entry, language, hit.score) for hit in faq_search(params.q, language)]
    return [FaqEntryOut.of(entry, language) for _category, entries in faq_by_category() for entry in entries]
