"""The FAQ over the API (public): every published answer, or those matching ``q``, in the
caller's language (``language``, else the request's)."""

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from tandem.core.translation import active_language
from tandem.customers.api_auth import guest_auth, user_auth
from tandem.service.assistant import assistant_handover, assistant_reply
from tandem.service.markdown import markdown_html
from tandem.service.models import FaqEntry
from tandem.service.selectors import faq_by_category, faq_search

router = Router(tags=["service"])


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
    language = active_language(params.language)
    if params.q.strip():
        return [FaqEntryOut.of(hit.entry, language, hit.score) for hit in faq_search(params.q, language)]
    return [FaqEntryOut.of(entry, language) for _category, entries in faq_by_category() for entry in entries]


class AssistantIn(Schema):
    text: str = Field(min_length=1, max_length=1000, description="what the customer wrote")
    language: str = Field(
        "", max_length=8, description="the page's language, used when the text does not tell"
    )


class LinkOut(Schema):
    title: str
    url: str


class AssistantOut(Schema):
    intent: str = Field(
        description="order_status, balance, credit, invoices, sales_rep, price, reorder, faq, handover, "
        "greeting or unknown"
    )
    answer: str
    links: list[LinkOut]
    actions: list[dict] = Field(
        description='what the customer may do next: {"type": "reorder"|"handover", …}'
    )


@router.post("/assistant/messages", response=AssistantOut, auth=guest_auth)
def assistant_message(request: HttpRequest, payload: AssistantIn):
    """Ask the assistant: the answer comes from the caller's own data (orders, invoices,
    balance, prices for them) or the FAQ, in the language of the message. Guests get the FAQ,
    prices and stock, and an order's status with its number and e-mail."""
    language = active_language(payload.language)
    reply = assistant_reply(
        text=payload.text,
        user=request.user,
        context=getattr(request, "customer_context", None),
        language=language,
    )
    return AssistantOut(intent=reply.intent, answer=reply.answer, links=reply.links, actions=reply.actions)


class HandoverIn(Schema):
    text: str = Field(min_length=1, max_length=4000, description="the question, or the conversation so far")


class HandoverOut(Schema):
    thread_id: int
    url: str = Field(description="the thread's page, where the rep's answer arrives")


@router.post("/assistant/handover", response={201: HandoverOut}, auth=user_auth)
def assistant_handover_create(request: HttpRequest, payload: HandoverIn):
    """Pass the conversation to a person: a message thread to the company's sales rep with
    the text (400 ``company_required`` for a retail customer, 409 ``no_sales_rep`` without a rep).
    Honours ``Idempotency-Key``."""
    thread = assistant_handover(
        user=request.user, context=getattr(request, "customer_context", None), text=payload.text
    )
    return Status(201, HandoverOut(thread_id=thread.pk, url=reverse("messaging:thread", args=[thread.pk])))
