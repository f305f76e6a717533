"""Who hears of a quote's news, and how: subscribers of the quotes' domain events.

The inbox rows are written in the quote's own transaction (in-transaction subscribers); the
e-mails go out from the outbox after commit, at least once. The customer's side is the
person who asked (while still an active user of the company) and the company's active
admins; the rep's side is the company's current sales rep (the one the customer has now,
not the one who took the request).
"""

from django.conf import settings
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy

from tandem.core.emails import send_templated_email, site_url
from tandem.core.events import Event, subscribe
from tandem.customers.models import CompanyRole, CompanyUser, User
from tandem.messaging.services import notify_users
from tandem.quotes.models import Quote

USER_TEXT = gettext_lazy("%(text)s")  # what a person wrote, shown as written (a "%" in it is just a "%")
# event → (the side told, the inbox title)
NOTICES = {
    "quote.requested": ("rep", gettext_lazy("New request for quotation %(number)s from %(company)s")),
    "quote.sent": ("customer", gettext_lazy("Offer %(number)s is ready (revision %(revision)s)")),
    "quote.accepted": ("rep", gettext_lazy("%(company)s accepted %(number)s")),
    "quote.declined": ("rep", gettext_lazy("%(company)s declined %(number)s")),
}
COMMENT_TO_CUSTOMER = gettext_lazy("New comment on %(number)s")
COMMENT_TO_REP = gettext_lazy("New comment on %(number)s from %(company)s")
CHANGES_TO_REP = gettext_lazy("%(company)s asks for changes to %(number)s")


def _notice(event: Event) -> tuple[str, object]:
    if event.name != "quote.commented":
        return NOTICES[event.name]
    if event.payload.get("to") == "customer":
        return "customer", COMMENT_TO_CUSTOMER
    return "rep", CHANGES_TO_REP if event.payload.get("changes_requested") else COMMENT_TO_REP


def _customer_ids(quote: Quote) -> set[int]:
    members = CompanyUser.objects.filter(company_id=quote.company_id, is_active=True, user__is_active=True)
    admins = set(members.filter(role=CompanyRole.ADMIN).values_list("user_id", flat=True))
    asked = set(members.filter(user_id=quote.requested_by_id).values_list("user_id", flat=True))
    return admins | asked


def _rep(quote: Quote) -> User | None:
    return User.objects.filter(pk=quote.company.sales_rep_id, is_active=True).first()


def _params(quote: Quote, event: Event) -> dict:
    return {
        "number": quote.number,
        "company": quote.company.name,
        "text": event.payload.get("text", ""),
        "revision": event.payload.get("revision", ""),
    }


def quote_inbox(event: Event) -> None:
    """The inbox notice of the side the event is for, linked to the quote's page there."""
    quote: Quote = event.subject
    side, title = _notice(event)
    if side == "customer":
        user_ids, url = _customer_ids(quote), reverse("quotes:detail", args=[quote.pk])
    else:
        rep = _rep(quote)
        if rep is None:
            return
        user_ids, url = {rep.pk}, reverse("quotes:rep_detail", args=[quote.pk])
    body = USER_TEXT if event.payload.get("text") else ""
    notify_users(
        user_ids=user_ids, kind="quote", title=title, body=body, url=url, params=_params(quote, event)
    )


def quote_email(event: Event) -> None:
    """The e-mail of the same notice: the offer to the customer's people, everything else
    for the rep to the rep (in the rep's language)."""
    quote = Quote.objects.select_related("company").filter(pk=event.payload["quote_id"]).first()
    if quote is None:
        return
    side, title = _notice(event)
    if side == "customer":
        if event.name != "quote.sent":
            return  # comments reach the customer in the inbox only
        addresses = list(
            User.objects.filter(pk__in=_customer_ids(quote)).exclude(email="").values_list("email", flat=True)
        )
        if addresses:
            send_templated_email(
                template="quotes/email/offer_sent",
                to=addresses,
                language=quote.language,
                context={"quote": quote, "url": site_url("quotes:detail", quote.pk)},
            )
        return
    rep = _rep(quote)
    if rep is None or not rep.email:
        return
    params = _params(quote, event)
    subject = lazy(lambda: str(title) % params, str)()  # in the rep's language, when rendered
    send_templated_email(
        template="quotes/email/to_rep",
        to=[rep.email],
        language=rep.language or settings.LANGUAGE_CODE,
        context={
            "quote": quote,
            "title": subject,
            "body": params["text"],
            "url": site_url("quotes:rep_detail", quote.pk),
        },
    )


def subscribe_quote_notices() -> None:
    for name in (*NOTICES, "quote.commented"):
        subscribe(name, quote_inbox)
        subscribe(name, quote_email, after_commit=True)
