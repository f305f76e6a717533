"""Requests for quotation, offers and their revisions, acceptance into an order."""

import io
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core import mail
from pypdf import PdfReader

from tandem.core.errors import NotFound, PermissionDenied
from tandem.customers.models import CompanyRole
from tandem.inventory.models import StockItem
from tandem.messaging.models import Notification
from tandem.orders.models import OrderStatus
from tandem.quotes.errors import BelowPriceFloor, OfferNotAcceptable, QuoteError
from tandem.quotes.models import OfferStatus, QuoteStatus
from tandem.quotes.pdf import offer_pdf
from tandem.quotes.services import (
    OfferLineInput,
    OfferTerms,
    RequestedLine,
    UploadedFile,
    offer_draft_save,
    offer_send,
    offers_expire,
    quote_comment,
    quote_decline,
    quote_request,
)
from tests.factories import (
    make_company,
    make_company_user,
    make_coupon,
    make_user,
    user_context,
)
from tests.quotes.conftest import TODAY, accept, offer, request, staff

pytestmark = pytest.mark.django_db


def test_a_buyer_requests_a_quote_and_the_rep_is_told(shop, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        quote = request(shop, files=[UploadedFile("plan.pdf", b"%PDF-1.4 plan")])
    assert quote.number.startswith(f"RFQ/{TODAY.year}/") and quote.status == QuoteStatus.REQUESTED
    assert [(line.sku, line.quantity, line.target_price) for line in quote.requested_lines.all()] == [
        (shop["drill"].sku, 20, Decimal("85.00")),
        (shop["saw"].sku, 10, None),
    ]
    assert quote.attachments.get().name == "plan.pdf" and quote.sales_rep == shop["rep"]
    assert Notification.objects.filter(user=shop["rep"], kind="quote").exists()
    assert mail.outbox[-1].to == [shop["rep"].email] and quote.number in mail.outbox[-1].subject


def test_bad_request_lines_are_all_named_and_nothing_is_saved(shop):
    with pytest.raises(QuoteError) as error:
        request(
            shop,
            lines=[
                RequestedLine("NOPE", 1),
                RequestedLine(shop["drill"].sku, "0"),
                RequestedLine(shop["saw"].sku, 1, "abc"),
            ],
        )
    assert [(line["line"], line["code"]) for line in error.value.lines] == [
        (1, "unknown_sku"),
        (2, "quantity_not_positive"),
        (3, "amount_invalid"),
    ]
    assert not shop["company"].quotes.exists()


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (UploadedFile("run.exe", b"MZ"), "file_type"),
        (UploadedFile("big.pdf", b"0" * (5 * 1024 * 1024 + 1)), "file_too_large"),
    ],
    ids=["executable", "over-5-MB"],
)
def test_bad_files_are_refused(shop, upload, code):
    with pytest.raises(QuoteError) as error:
        request(shop, files=[upload])
    assert error.value.code == code and not shop["company"].quotes.exists()


def test_retail_customers_and_accountants_do_not_request_quotes(shop):
    retail = make_user("anna@shop.test")
    with pytest.raises(QuoteError):
        quote_request(user=retail, context=user_context(retail), lines=[], message="Hi")
    accountant = make_company_user(shop["company"], CompanyRole.ACCOUNTANT)
    with pytest.raises(PermissionDenied):
        quote_request(user=accountant, context=user_context(accountant), lines=[], message="Hi")


def test_the_rep_prices_a_draft_for_the_customer_and_sends_it(shop, django_capture_on_commit_callbacks):
    quote = request(shop)
    draft = offer(shop, quote, send=False)
    lines = {line.sku: line for line in draft.lines.all()}
    drill, saw = lines[shop["drill"].sku], lines[shop["saw"].sku]
    assert (drill.list_price, drill.unit_price, drill.line_net) == (
        Decimal("100.00"),
        Decimal("90.00"),
        Decimal("1800.00"),
    )
    assert (saw.unit_price, saw.discount_percent) == (Decimal("45.00"), Decimal("10.0"))
    assert (draft.total_net, draft.total_gross) == (Decimal("2250.00"), Decimal("2767.50"))
    with django_capture_on_commit_callbacks(execute=True):
        sent = offer_send(rep=shop["rep"], quote=quote)
    quote.refresh_from_db()
    assert sent.status == OfferStatus.SENT and quote.status == QuoteStatus.OFFERED
    assert mail.outbox[-1].to == [shop["buyer"].email]
    assert Notification.objects.filter(user=shop["buyer"], kind="quote").exists()


def test_only_the_customers_rep_builds_offers(shop):
    quote = request(shop)
    other_rep = staff("other@shop.test", "Sales rep")
    with pytest.raises(NotFound):
        offer_draft_save(rep=other_rep, quote=quote, lines=[], terms=OfferTerms())
    with pytest.raises(NotFound):
        offer_draft_save(rep=shop["buyer"], quote=quote, lines=[], terms=OfferTerms())
    manager = staff("boss@shop.test", "Sales manager")
    assert (
        offer_draft_save(
            rep=manager, quote=quote, lines=[OfferLineInput(shop["saw"].sku, 1)], terms=OfferTerms()
        ).revision
        == 1
    )


def test_a_price_below_the_floor_needs_a_manager(shop):
    """The drill costs 70.00: with a 5 % minimum margin the floor is 73.50."""
    quote = request(shop)
    offer(shop, quote, drill_price="73.49", send=False)
    with pytest.raises(BelowPriceFloor) as error:
        offer_send(rep=shop["rep"], quote=quote)
    assert error.value.lines[0]["sku"] == shop["drill"].sku and "73.50" in error.value.lines[0]["message"]
    assert quote.offers.get().status == OfferStatus.DRAFT
    manager = staff("boss@shop.test", "Sales manager")
    sent = offer_send(rep=manager, quote=quote)
    assert sent.status == OfferStatus.SENT and sent.floor_approved_by == manager


def test_a_new_revision_supersedes_the_old_one_which_can_no_longer_be_accepted(shop):
    quote = request(shop)
    first = offer(shop, quote, drill_price="95.00")
    quote_comment(
        user=shop["buyer"],
        context=user_context(shop["buyer"]),
        quote=quote,
        text="Can you do 90?",
        changes_requested=True,
    )
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.CHANGES_REQUESTED
    second = offer(shop, quote, drill_price="90.00")
    first.refresh_from_db()
    assert (first.status, second.status, second.revision) == (OfferStatus.SUPERSEDED, OfferStatus.SENT, 2)
    with pytest.raises(OfferNotAcceptable) as error:
        accept(shop, quote, 1)
    assert error.value.code == "offer_superseded" and "revision 2" in str(error.value.message)
    assert [kind for kind in quote.events.values_list("kind", flat=True)] == [
        "requested",
        "offer_sent",
        "changes_requested",
        "offer_sent",
    ]


def test_accepting_places_an_order_at_the_offer_prices(shop, django_capture_on_commit_callbacks):
    quote = request(shop)
    offer(shop, quote)
    with django_capture_on_commit_callbacks(execute=True):
        order = accept(shop, quote, 1)
    lines = {line.sku: line for line in order.lines.all()}
    assert (lines[shop["drill"].sku].unit_net, lines[shop["saw"].sku].unit_net) == (
        Decimal("90.00"),
        Decimal("45.00"),
    )
    assert lines[shop["drill"].sku].price_source == "agreed"
    assert f"agreed in {quote.number}, revision 1" in lines[shop["drill"].sku].price_explanation[0]
    assert order.total_net == Decimal("2250.00") and order.status == OrderStatus.PLACED
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.ACCEPTED and quote.order == order
    assert StockItem.objects.get(variant=shop["drill"]).reserved == 20
    assert accept(shop, quote, 1) == order  # a second click: the same order, no second one
    assert shop["company"].orders.count() == 1


def test_an_expired_offer_cannot_be_accepted(shop):
    quote = request(shop)
    sent = offer(shop, quote, valid_days=1)
    assert offers_expire(TODAY + timedelta(days=2)) == 1
    sent.refresh_from_db()
    quote.refresh_from_db()
    assert (sent.status, quote.status) == (OfferStatus.EXPIRED, QuoteStatus.EXPIRED)
    with pytest.raises(OfferNotAcceptable) as error:
        accept(shop, quote, 1)
    assert error.value.code == "offer_expired" and not shop["company"].orders.exists()


def test_another_company_cannot_see_or_accept_the_offer(shop):
    quote = request(shop)
    offer(shop, quote)
    stranger = make_company_user(make_company("Other"), CompanyRole.ADMIN)
    with pytest.raises(NotFound):
        accept(shop, quote, 1, user=stranger)
    with pytest.raises(NotFound):
        quote_comment(user=stranger, context=user_context(stranger), quote=quote, text="hi")


def test_the_credit_limit_still_applies_to_an_accepted_offer(shop):
    shop["company"].credit_limit = Decimal("100")
    shop["company"].save()
    quote = request(shop)
    offer(shop, quote)
    with pytest.raises(Exception) as error:  # noqa: PT011 - the checkout's own credit error
        accept(shop, quote, 1)
    assert getattr(error.value, "code", "") == "credit_limit_exceeded"
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.OFFERED and quote.offers.get().status == OfferStatus.SENT


def test_the_customer_declines(shop):
    quote = request(shop)
    offer(shop, quote)
    quote_decline(user=shop["buyer"], context=user_context(shop["buyer"]), quote=quote, reason="Too dear")
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.DECLINED and quote.offers.get().status == OfferStatus.DECLINED


def test_the_offer_pdf_shows_the_offer_prices_and_non_latin_names_but_no_purchase_price(shop):
    quote = request(shop)
    sent = offer(shop, quote)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(offer_pdf(sent))).pages)
    assert quote.number in text and "Łódź Budowa Sp. z o.o." in text and "Пила дисковая" in text
    assert "90.00" in text and "2,767.50" in text.replace("\u00a0", ",").replace(" ", ",")
    assert "70.00" not in text  # the purchase price stays in the shop


def test_an_automatic_promotion_does_not_discount_the_agreed_prices_again(shop):
    """The offer's prices are final: a 10 % promotion for companies leaves them as they are."""
    make_coupon("", value="10", channel="b2b", name="Autumn 10 %")  # no code: automatic
    quote = request(shop)
    sent = offer(shop, quote)
    order = accept(shop, quote, 1)
    assert (order.total_net, order.total_gross, order.discount_total) == (
        sent.total_net,
        sent.total_gross,
        Decimal("0"),
    )


def test_a_customer_moved_to_another_rep_is_theirs_alone(shop, django_capture_on_commit_callbacks):
    quote = request(shop)
    new_rep = staff("new@shop.test", "Sales rep")
    shop["company"].sales_rep = new_rep
    shop["company"].save()
    with pytest.raises(NotFound):
        offer_draft_save(rep=shop["rep"], quote=quote, lines=[], terms=OfferTerms())
    with django_capture_on_commit_callbacks(execute=True):
        quote_comment(
            user=shop["buyer"],
            context=user_context(shop["buyer"]),
            quote=quote,
            text="Any news? 10% off would be great",
        )  # a "%" is only a character
    assert mail.outbox[-1].to == [new_rep.email]
    assert Notification.objects.filter(user=new_rep, body__contains="10% off").exists()


def test_an_offer_must_respect_the_items_quantity_rules(shop):
    saw = shop["saw"]
    saw.quantity_step = 4
    saw.save()
    quote = request(shop)
    with pytest.raises(QuoteError) as error:
        offer_draft_save(
            rep=shop["rep"], quote=quote, lines=[OfferLineInput(saw.sku, 10)], terms=OfferTerms()
        )
    assert error.value.lines[0]["sku"] == saw.sku and error.value.lines[0]["code"].startswith("quantity")


def test_request_files_are_kept_where_no_url_reaches_them(shop, client, settings):
    quote = request(shop, files=[UploadedFile("drawing.pdf", b"%PDF-1.4 secret")])
    attachment = quote.attachments.get()
    stored = Path(attachment.file.path)
    assert stored.is_file() and not stored.is_relative_to(Path(settings.MEDIA_ROOT))
    assert "drawing" not in stored.name  # the stored name reveals nothing
    assert client.get(f"/media/{attachment.file.name}").status_code == 404
