"""The assistant: answers a customer's message from their own data or the FAQ, in their
language, without any outside service.

A message is folded (case, diacritics) and matched against each intent's word stems in
English, Polish, Bulgarian and Russian, so inflected forms and missing diacritics count;
an order number, a SKU or an e-mail address in the text are picked out. Each intent then
reads only what the writer may see on every other surface (``orders_visible_to``,
``invoices_visible_to``, ``account_company``…): a guest learns an order's status only with
its number and e-mail; nobody learns another company's data. What is not understood is
kept for staff (``UnansweredQuestion``), who turn it into FAQ entries.

Intents: ``order_status``, ``balance``, ``credit``, ``invoices``, ``sales_rep``, ``price``,
``reorder``, ``faq``, ``handover``, ``greeting``, ``unknown``.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from tandem.billing.documents.selectors import invoices_visible_to
from tandem.billing.receivables.selectors import account_company, credit_position, open_invoices
from tandem.catalog.models import Variant
from tandem.catalog.selectors import product_visible_to
from tandem.core.context import CustomerContext
from tandem.core.errors import PermissionDenied
from tandem.core.translation import shop_languages
from tandem.customers.auth import membership_of
from tandem.inventory.selectors import available_by_variant
from tandem.messaging.threads import TEXT_MAX, thread_start
from tandem.orders.models import Order
from tandem.orders.selectors import orders_visible_to
from tandem.pricing.selectors import prices_for_variants
from tandem.service.models import UnansweredQuestion
from tandem.service.selectors import faq_published, faq_search, folded

LANGUAGES = shop_languages()
ORDER_NUMBER = re.compile(r"\b(\d{4}-\d{4,8})\b")
EMAIL = re.compile(r"[^@\s,;]+@[^@\s,;]+\.[a-z]{2,}", re.IGNORECASE)
SKU_CANDIDATE = re.compile(r"\b([A-Za-z0-9]+(?:[-_./][A-Za-z0-9]+)+|[A-Za-z]+\d+[A-Za-z0-9]*)\b")
FAQ_ENOUGH = 0.6  # the share of the message's words an FAQ entry must hold to answer it
FAQ_CLOSE = 0.85  # a general question (no "my", "our") this close to an FAQ entry is answered by it
# words that make a question about the writer's own account (folded)
PERSONAL_WORDS = (
    "my our me we us i mine moj moje moja moim moich nasz nasze naszych mam mamy jestesmy ja nam "
    "mnie ми ни моя моите наш нашия имам имаме дължим мен мой мои моего наши мы мне я"
)
PERSONAL = {folded(word) for word in PERSONAL_WORDS.split()}
# a message beginning so asks for an explanation (the FAQ's), not for the customer's data
EXPLAIN = tuple(
    folded(words)
    for words in (
        "why",
        "how do",
        "how can",
        "how long",
        "how to",
        "can i",
        "dlaczego",
        "czemu",
        "jak ",
        "czy moge",
        "czy mozna",
        "защо",
        "как ",
        "мога ли",
        "почему",
        "зачем",
        "можно",
    )
)

# intent → its words' stems (folded: no diacritics) in en, pl, bg and ru, each worth 1 unless
# ":n" says more; "_" joins the words of a phrase
WORDS = {
    "order_status": (
        "order:3 status where track:2 shipment:2 parcel:2 deliver arriv:2 on_the_way:2 "
        "zamowie:3 zamowil:3 gdzie przesyl:3 paczk:2 dotar:2 dostarcz wyslan "
        "поръчк:3 къде пратк:2 пристиг:2 изпрат получ "
        "заказ:3 где посылк:2 отправ доставлен пришел доставят"
    ),
    "balance": (
        "balance:3 owe:3 debt:3 outstanding:2 saldo:3 zaleg:2 zadluz:3 dlug:3 winni:3 "
        "салдо:3 дълж:3 задълж:3 баланс:3 сальдо:3 задолж:3 долг:3 должн:3"
    ),
    "credit": "credit:3 limit:3 kredyt:3 кредит:3 лимит:3",
    "invoices": (
        "invoice:3 unpaid:2 overdue:2 bill:2 faktur:3 nieoplac:2 przetermin:2 rachun:2 "
        "фактур:3 неплат:2 просроч:2 счет:3 неоплач:2"
    ),
    "sales_rep": (
        "rep:3 representative:3 account_manager:3 salesperson:3 contact opiekun:3 handlow:2 "
        "przedstawiciel:3 kontakt представител:3 търговск:2 контакт менеджер:3"
    ),
    "price": (
        "price:2 cost:2 how_much:2 stock:2 available cena:2 cene:2 kosztuj:2 ile dostepn stan "
        "цена:2 цени:2 струва:2 колко наличн:2 стоит:2 сколько налич:2 остат:2"
    ),
    "reorder": (
        "again:3 reorder:4 repeat:4 same_as_last:4 ponown:4 powtor:4 jeszcze_raz:4 "
        "отново:4 повтор:4 снова:4 еще_раз:4"
    ),
    "handover": (
        "human:3 person:2 agent:3 talk_to:2 call_me:3 someone czlowiek:3 konsultant:3 porozmawia:2 "
        "zadzwon:3 kogos човек:3 консултант:3 говоря:2 обадете:3 человек:3 оператор:3 "
        "консультант:3 поговор:2 позвон:3"
    ),
    "greeting": "hello hi dzien_dobry czesc witam здравей добър_ден здравствуй привет добрый_день",
}
KEYWORDS: dict[str, list[tuple[str, int]]] = {
    intent: [
        (folded(stem.replace("_", " ")), int(weight or 1))
        for stem, _colon, weight in (item.partition(":") for item in words.split())
    ]
    for intent, words in WORDS.items()
}
POLISH_WORDS = {
    "jak",
    "gdzie",
    "moje",
    "moj",
    "zamowienie",
    "faktura",
    "faktury",
    "czy",
    "jest",
    "ile",
    "mam",
}
ENGLISH_WORDS = {"the", "my", "where", "is", "what", "how", "when", "order", "invoice", "and"}


@dataclass(slots=True)
class Reply:
    intent: str
    answer: str
    links: list[dict[str, str]] = field(default_factory=list)
    actions: list[dict[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class Message:
    text: str
    folded: str
    words: list[str]
    language: str
    order_number: str | None
    email: str | None
    skus: list[str]


def _language_of(text: str, fallback: str) -> str:
    """The message's language from its letters, else the page's."""
    if re.search(r"[а-яё]", text.lower()):
        if re.search(r"[ыэё]", text.lower()) or re.search(
            r"\b(что|как|мой|где|сколько|заказ)\b", text.lower()
        ):
            return "ru"
        return "bg"
    if re.search(r"[ąćęłńóśźż]", text.lower()):
        return "pl"
    words = set(re.findall(r"\w+", folded(text)))
    if words & POLISH_WORDS:
        return "pl"
    if words & ENGLISH_WORDS:
        return "en"
    return fallback if fallback in LANGUAGES else "en"


def _parse(text: str, fallback_language: str) -> Message:
    flat = folded(text)
    email = EMAIL.search(text)
    return Message(
        text=text,
        folded=flat,
        words=re.findall(r"\w+", flat),
        language=_language_of(text, fallback_language),
        order_number=(match.group(1) if (match := ORDER_NUMBER.search(text)) else None),
        email=email.group(0) if email else None,
        skus=[
            candidate.upper()
            for candidate in SKU_CANDIDATE.findall(text)
            if any(c.isdigit() for c in candidate)
        ],
    )


def _scores(message: Message) -> dict[str, int]:
    scores: dict[str, int] = {}
    for intent, keywords in KEYWORDS.items():
        total = 0
        for stem, weight in keywords:
            if " " in stem:
                total += weight if stem in message.folded else 0
            elif any(word.startswith(stem) for word in message.words):
                total += weight
        if total:
            scores[intent] = total
    return scores


def detect_intent(message: Message, skus_known: bool) -> str:
    """The intent a message most likely carries (before the FAQ is asked)."""
    return _intent_and_strength(message, skus_known)[0]


def _intent_and_strength(message: Message, skus_known: bool) -> tuple[str, int]:
    scores = _scores(message)
    if message.order_number and "reorder" not in scores:
        scores["order_status"] = scores.get("order_status", 0) + 3
    if skus_known:
        scores["price"] = scores.get("price", 0) + 3
    if not scores:
        return "unknown", 0
    if scores.get("credit") and scores.get("balance"):
        scores["credit"] += 1  # "credit balance" asks what is left to spend
    best = max(scores, key=lambda intent: (scores[intent], intent != "greeting"))
    return best, scores[best]


@dataclass(slots=True)
class Understood:
    message: Message
    intent: str  # "faq" when the FAQ answers it better than the customer's data would
    variants: list[Variant]
    hits: list


def understand(text: str, language: str) -> Understood:
    """What a message asks: its intent, the products it names, the FAQ entries that answer
    it. A message naming an order or a product asks about it; otherwise the FAQ answers a
    question asking how or why (or whether one can), and one the customer's data intents
    know little of. The FAQ is searched in every language when the message's is unclear."""
    message = _parse(text.strip()[:1000], language)
    variants = list(Variant.objects.filter(sku__in=message.skus[:5], is_active=True)) if message.skus else []
    intent, strength = _intent_and_strength(message, skus_known=bool(variants))
    entries = faq_published()  # read once, searched in each language
    hits = faq_search(message.text, message.language, limit=3, entries=entries)
    for other in LANGUAGES:  # typed without diacritics, a language can hide: the FAQ tells
        found = faq_search(message.text, other, limit=3, entries=entries) if other != message.language else []
        if found and (not hits or found[0].score > hits[0].score + 0.2):
            hits, message.language = found, other
    if _faq_answers(message, intent, strength, hits[0].score if hits else 0.0):
        intent = "faq"
    return Understood(message, intent, variants, hits)


def _faq_answers(message: Message, intent: str, strength: int, best: float) -> bool:
    """Whether the FAQ answers better than the customer's data: never for a message naming
    an order or a product; for a question asking how or why, one the data intents know
    little of, a price without a product (of delivery…), or a general question (no "my",
    "our") close to an FAQ entry."""
    if message.order_number or message.skus or intent == "greeting":
        return False
    if intent == "unknown" or message.folded.startswith(EXPLAIN) or intent == "price":
        return best >= FAQ_ENOUGH - 0.1
    personal = bool(PERSONAL.intersection(message.words))
    return (strength <= 2 and best >= FAQ_ENOUGH) or (not personal and strength <= 3 and best >= FAQ_CLOSE)


def assistant_reply(*, text: str, user, context: CustomerContext | None, language: str) -> Reply:
    """The answer to ``text`` for ``user`` (a guest too), in the message's language."""
    understood = understand(text, language)
    message, intent, variants = understood.message, understood.intent, understood.variants
    with translation.override(message.language):
        if intent == "faq":
            return _faq_reply(understood.hits, message.language)
        if intent in ("unknown", "greeting"):
            if intent == "greeting":
                return Reply(
                    "greeting", _("Hello! Ask me about your orders, invoices, balance, prices or delivery.")
                )
            UnansweredQuestion.objects.create(
                text=message.text, language=message.language, user=user if user.is_authenticated else None
            )
            return Reply(
                "unknown",
                _(
                    "I do not know the answer to that yet. I have passed the question on; "
                    "you can also write to us."
                ),
                links=_contact_links(user),
                actions=[{"type": "handover", "label": _("Write to a person")}],
            )
        return HANDLERS[intent](message, user, context, variants)


# --- the intents -------------------------------------------------------------------------------


def _money(amount: Decimal, currency: str) -> str:
    return f"{number_format(amount, 2, use_l10n=True, force_grouping=True)} {currency}"


def _link(title: str, url: str) -> dict[str, str]:
    return {"title": title, "url": url}


def _documents_link() -> dict[str, str]:
    return _link(_("Documents"), reverse("billing:documents"))


def _order_link(order: Order) -> dict[str, str]:
    return _link(order.number, reverse("orders:detail", args=[order.number]))


def _contact_links(user) -> list[dict[str, str]]:
    if user.is_authenticated:
        return [_link(_("Messages"), reverse("messaging:threads"))]
    return [_link(_("Questions and answers"), reverse("service:faq"))]


def _sign_in(intent: str) -> Reply:
    return Reply(
        intent,
        _("Sign in and I will look it up for you."),
        links=[_link(_("Sign in"), reverse("storefront:login"))],
    )


def _order_status(message: Message, user, context, variants) -> Reply:
    if user.is_authenticated:
        orders = orders_visible_to(user)
        order = (
            orders.filter(number=message.order_number).first()
            if message.order_number
            else orders.order_by("-created_at", "-pk").first()
        )
    elif message.order_number and message.email:
        order = Order.objects.filter(number=message.order_number, email__iexact=message.email).first()
    else:
        return Reply(
            "order_status",
            _("Give me the order number and the e-mail address it was placed with, or sign in."),
            links=[_link(_("Sign in"), reverse("storefront:login"))],
        )
    if order is None:
        return Reply("order_status", _("I cannot find that order among yours. Check the number."))
    answer = _("Order %(number)s of %(date)s: %(status)s.") % {
        "number": order.number,
        "date": order.created_at.date().isoformat(),
        "status": order.get_status_display(),
    }
    shipments = list(order.shipments.exclude(tracking_number="").order_by("shipped_at", "pk"))
    if shipments:
        answer += " " + _("Tracking: %(tracking)s (%(carrier)s).") % {
            "tracking": shipments[-1].tracking_number,
            "carrier": shipments[-1].carrier,
        }
    links = (
        [_link(order.number, reverse("orders:detail", args=[order.number]))] if user.is_authenticated else []
    )
    return Reply("order_status", answer, links=links)


def _company_figures(intent: str, user) -> tuple[object | None, Reply | None]:
    if not user.is_authenticated:
        return None, _sign_in(intent)
    try:
        return account_company(user), None
    except PermissionDenied:
        if membership_of(user) is None:
            return None, Reply(
                intent, _("Only company accounts buy on credit; you pay each order when you place it.")
            )
        return None, Reply(
            intent,
            _(
                "Your role does not include the company's balance; "
                "your company's administrator or accountant can see it."
            ),
        )


def _balance(message: Message, user, context, variants) -> Reply:
    company, refusal = _company_figures("balance", user)
    if refusal:
        return refusal
    position = credit_position(company)
    answer = _("Your company owes %(balance)s, of which %(overdue)s is overdue.") % {
        "balance": _money(position.balance, position.currency),
        "overdue": _money(position.overdue, position.currency),
    }
    return Reply("balance", answer, links=[_documents_link()])


def _credit(message: Message, user, context, variants) -> Reply:
    company, refusal = _company_figures("credit", user)
    if refusal:
        return refusal
    position = credit_position(company)
    answer = _("Credit limit %(limit)s; used %(used)s; available %(available)s.") % {
        "limit": _money(position.credit_limit, position.currency),
        "used": _money(position.used, position.currency),
        "available": _money(max(position.available, Decimal("0")), position.currency),
    }
    return Reply("credit", answer, links=[_documents_link()])


def _invoices(message: Message, user, context, variants) -> Reply:
    if not user.is_authenticated:
        return _sign_in("invoices")
    visible = invoices_visible_to(user)
    if user.is_staff or not visible.exists():
        return Reply(
            "invoices",
            _("You have no invoices yet."),
            links=[_link(_("Documents"), reverse("billing:documents"))],
        )
    company_ids = set(visible.values_list("company_id", flat=True)) - {None}
    unpaid = open_invoices(invoice_ids=list(visible.values_list("pk", flat=True)[:500]))
    if company_ids and not unpaid:
        return Reply(
            "invoices",
            _("All your invoices are paid."),
            links=[_link(_("Documents"), reverse("billing:documents"))],
        )
    links = [
        _link(
            item.invoice.number,
            reverse("billing:invoice_download", kwargs={"invoice_id": item.invoice.pk, "file_format": "pdf"}),
        )
        for item in unpaid[:5]
    ]
    overdue = [item for item in unpaid if item.overdue_parts]
    answer = _("%(count)s unpaid invoices, %(overdue)s of them overdue: %(list)s.") % {
        "count": len(unpaid),
        "overdue": len(overdue),
        "list": "; ".join(
            f"{item.invoice.number} {_money(item.open_amount, item.invoice.currency)}"
            + (f" ({_('due')} {item.invoice.due_date.isoformat()})" if item.invoice.due_date else "")
            for item in unpaid[:5]
        ),
    }
    return Reply("invoices", answer, links=links)


def _sales_rep(message: Message, user, context, variants) -> Reply:
    membership = membership_of(user) if user.is_authenticated else None
    rep = membership.company.sales_rep if membership is not None else None
    if rep is None:
        return Reply(
            "sales_rep",
            _("Our customer service answers you: write to us and we reply within one working day."),
            links=_contact_links(user),
        )
    return Reply(
        "sales_rep",
        _("Your sales rep is %(name)s (%(email)s).")
        % {"name": rep.get_full_name() or rep.email, "email": rep.email},
        links=[_link(_("Messages"), reverse("messaging:threads"))],
        actions=[
            {"type": "handover", "label": _("Write to %(name)s") % {"name": rep.get_full_name() or rep.email}}
        ],
    )


def _price(message: Message, user, context, variants) -> Reply:
    if not variants:
        return Reply(
            "price", _("Give me the SKU (it is on the product page) and I will tell you its price and stock.")
        )
    if context is None:
        return Reply("price", _("Sign in and I will look it up for you."))
    visible = [variant for variant in variants if product_visible_to(context, variant.product)]
    if not visible:
        return Reply("price", _("I cannot find this product in your assortment."))
    prices = prices_for_variants(context, [(variant.pk, variant.tax_class_id) for variant in visible])
    stock = available_by_variant(variant.pk for variant in visible)
    parts = []
    for variant in visible:
        price = prices.get(variant.pk)
        amount = (price.unit_gross if price.includes_tax else price.unit_net) if price else None
        parts.append(
            _("%(sku)s: %(price)s %(kind)s, %(stock)s in stock")
            % {
                "sku": variant.sku,
                "price": _money(amount, price.currency) if amount is not None else "—",
                "kind": (_("gross") if price.includes_tax else _("net")) if price else "",
                "stock": max(stock.get(variant.pk, 0), 0),
            }
        )
    links = [_link(variant.product.tr("name"), variant.product.get_absolute_url()) for variant in visible]
    return Reply("price", "; ".join(parts) + ".", links=links)


def _reorder(message: Message, user, context, variants) -> Reply:
    if not user.is_authenticated:
        return _sign_in("reorder")
    orders = orders_visible_to(user)
    order = (
        orders.filter(number=message.order_number).first()
        if message.order_number
        else orders.order_by("-created_at", "-pk").first()
    )
    if order is None:
        return Reply("reorder", _("You have no earlier order to repeat."))
    return Reply(
        "reorder",
        _("Shall I put the lines of order %(number)s into your cart at today's prices?")
        % {"number": order.number},
        links=[_link(order.number, reverse("orders:detail", args=[order.number]))],
        actions=[{"type": "reorder", "order": order.number, "label": _("Yes, add them to my cart")}],
    )


def _handover(message: Message, user, context, variants) -> Reply:
    return Reply(
        "handover",
        _("I will pass you to a person: send the message and they answer in your messages."),
        links=_contact_links(user),
        actions=[{"type": "handover", "label": _("Write to a person")}],
    )


def _faq_reply(hits, language: str) -> Reply:
    best = hits[0].entry
    return Reply(
        "faq",
        best.tr("answer", language),
        links=[
            _link(question, reverse("service:faq") + "?" + urlencode({"q": question}))
            for hit in hits[1:]
            if (question := hit.entry.tr("question", language))
        ],
    )


HANDLERS: dict[str, Callable[..., Reply]] = {
    "order_status": _order_status,
    "balance": _balance,
    "credit": _credit,
    "invoices": _invoices,
    "sales_rep": _sales_rep,
    "price": _price,
    "reorder": _reorder,
    "handover": _handover,
}


def assistant_handover(*, user, context: CustomerContext | None, text: str, transcript=()):
    """Pass the conversation to a person: a message thread to the company's sales rep with
    the customer's question and the conversation before it (``transcript``: [question,
    answer] pairs), which the rep answers in the rep panel (``messaging.threads``).
    Raises DomainError (not signed in, no company or no rep: say so and point to the FAQ)."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Sign in and I will look it up for you."), code="not_signed_in")
    with translation.override(getattr(user, "language", None) or "en"):
        subject = _("Question from the assistant")
    body = _("Question asked of the assistant:") + "\n\n" + text.strip()[:4000]
    if transcript:
        lines = []
        for question, answer in list(transcript)[-10:]:
            lines += [f"> {str(question)[:1000]}", str(answer)[:2000], ""]
        body += "\n\n" + _("The conversation before:") + "\n\n" + "\n".join(lines).strip()
    return thread_start(user=user, context=context, subject=subject, text=body[:TEXT_MAX])
