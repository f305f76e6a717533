"""Domain events through the outbox: written with the change, delivered at least once after
it commits, each subscriber's work done once, nothing lost when the worker is not told."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from tandem.core import events
from tandem.core.events import event_publish, outbox_deliver, outbox_deliver_pending, outbox_prune, subscribe
from tandem.core.models import OutboxEvent, OutboxReceipt
from tandem.orders.models import Order
from tests.messaging.conftest import place_company_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(monkeypatch):
    """Subscribers of these tests only, without the shop's own."""
    monkeypatch.setattr(events, "_in_transaction", events.defaultdict(list))
    monkeypatch.setattr(events, "_after_commit", events.defaultdict(list))
    return events


calls: list[tuple[str, object]] = []


def remember(event):
    calls.append(("after", event.payload["n"]))


def fail(event):
    raise RuntimeError("mail server down")


@pytest.fixture(autouse=True)
def _calls():
    calls.clear()


@pytest.mark.django_db(transaction=True)
def test_publishing_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        event_publish("test.event", {})


def test_an_event_rolled_back_with_its_change_never_happened(registry):
    subscribe("test.event", lambda event: calls.append(("now", event.subject)))
    with pytest.raises(RuntimeError, match="the change failed"), transaction.atomic():
        event_publish("test.event", {"n": 1}, subject="the order")
        raise RuntimeError("the change failed")
    assert calls == [("now", "the order")]  # the subscriber ran inside the transaction…
    assert not OutboxEvent.objects.exists()  # …and its event went with the rollback


def test_after_commit_subscribers_run_once_the_change_commits(registry, django_capture_on_commit_callbacks):
    subscribe("test.event", remember, after_commit=True)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        event_publish("test.event", {"n": 2})
        assert calls == []
    assert calls == [("after", 2)]
    assert OutboxEvent.objects.get().delivered_at is not None


def test_an_event_the_worker_was_never_told_of_is_delivered_by_the_sweep(registry):
    """A crash between the commit and the queue: the committed row is all the sweep needs."""
    subscribe("test.event", remember, after_commit=True)
    with transaction.atomic():
        event_publish("test.event", {"n": 3})  # on_commit never runs in this test: the "crash"

    assert outbox_deliver_pending(older_than=timedelta(0)) == 1
    assert outbox_deliver_pending(older_than=timedelta(0)) == 0  # delivered: not again
    assert calls == [("after", 3)]


def test_a_failing_subscriber_does_not_stop_the_others_and_is_retried_alone(registry):
    subscribe("test.event", fail, after_commit=True)
    subscribe("test.event", remember, after_commit=True)
    with transaction.atomic():
        row = event_publish("test.event", {"n": 4})

    assert outbox_deliver(row.pk) is False
    row.refresh_from_db()
    assert (row.attempts, "mail server down" in row.last_error, row.delivered_at) == (1, True, None)
    registry._after_commit["test.event"][0] = (registry._after_commit["test.event"][0][0], remember)  # fixed
    assert outbox_deliver(row.pk) is True
    assert calls == [("after", 4), ("after", 4)]  # the first subscriber once, now; the second not again
    assert OutboxReceipt.objects.filter(event=row).count() == 2


def test_an_order_confirmation_lost_on_the_way_to_the_queue_is_still_sent():
    """The real subscribers: an order placed while the queue was unreachable gets its
    confirmation from the sweep, once."""
    order, *_ = place_company_order()  # no on_commit callbacks run: nothing was queued
    assert mail.outbox == []

    outbox_deliver_pending(older_than=timedelta(0))
    outbox_deliver_pending(older_than=timedelta(0))

    assert [message.to[0] for message in mail.outbox] == [Order.objects.get(pk=order.pk).email]


def test_housekeeping_removes_events_delivered_long_ago_and_keeps_the_undelivered(registry):
    subscribe("test.event", fail, after_commit=True)
    with transaction.atomic():
        old = event_publish("other.event", {"n": 5})  # nobody waits for it: delivered at once
        stuck = event_publish("test.event", {"n": 6})
    OutboxEvent.objects.update(created_at=timezone.now() - timedelta(days=40))
    OutboxEvent.objects.filter(pk=old.pk).update(delivered_at=timezone.now() - timedelta(days=40))

    assert outbox_prune(keep_days=30) == 1
    assert list(OutboxEvent.objects.values_list("pk", flat=True)) == [stuck.pk]


def test_the_admin_lists_undelivered_events_with_their_error(client, staff_admin, registry):
    subscribe("test.event", fail, after_commit=True)
    with transaction.atomic():
        row = event_publish("test.event", {"n": 7})
    outbox_deliver(row.pk)
    client.force_login(staff_admin)
    listing = client.get("/admin/core/outboxevent/?delivered_at__isnull=True")
    assert listing.status_code == 200 and "test.event" in listing.text
    assert "mail server down" in client.get(f"/admin/core/outboxevent/{row.pk}/change/").text


def send_notice(event):
    from tandem.core.emails import send_templated_email

    send_templated_email(
        template="storefront/email/registration_exists",
        context={"url": "https://shop.example/accounts/login/"},
        to=["anna@shop.test"],
        language="en",
    )


def test_an_email_a_subscriber_sends_goes_out_with_its_receipt_and_again_if_it_failed(
    registry, monkeypatch, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # a real queue
    subscribe("thing.done", send_notice, after_commit=True)
    row = event_publish("thing.done", {"n": 1})
    sent = []
    down = [True]

    def smtp(message, *args, **kwargs):
        if down[0]:
            raise ConnectionRefusedError("mail server down")
        sent.append(message.to)
        return 1

    monkeypatch.setattr("django.core.mail.message.EmailMessage.send", lambda self, *a, **k: smtp(self))

    assert outbox_deliver(row.pk) is False  # sent in the delivery, not queued: the failure shows
    assert not OutboxReceipt.objects.filter(event_id=row.pk).exists()  # so it will be tried again
    down[0] = False
    assert outbox_deliver(row.pk) is True
    assert sent == [["anna@shop.test"]]
    assert outbox_deliver(row.pk) is True and sent == [["anna@shop.test"]]  # once delivered, once
