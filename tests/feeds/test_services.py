"""Who may turn feeds on, and how they stay current."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from tandem.catalog.models import Variant
from tandem.core.errors import NotFound, PermissionDenied
from tandem.core.events import event_publish
from tandem.core.models import AuditEntry
from tandem.core.tokens import token_digest
from tandem.customers.models import CompanyRole, CustomerGroup
from tandem.customers.roles import staff_roles_sync
from tandem.feeds.models import Feed
from tandem.feeds.selectors import feeds_managed_by
from tandem.feeds.services import feed_create, feed_rotate
from tandem.feeds.tasks import feed_write, feeds_refresh
from tandem.inventory.models import StockItem
from tandem.inventory.services import StockRequest, stock_reserve
from tandem.pricing.models import PriceListEntry
from tests.factories import make_company_user, make_product, make_user
from tests.feeds.conftest import content, written


def staff(role: str, **fields):
    staff_roles_sync()
    user = make_user(f"{role.replace(' ', '-').lower()}@shop.test", is_staff=True)
    user.groups.set(Group.objects.filter(name=role))
    return type(user).objects.get(pk=user.pk)


def test_the_token_is_returned_once_and_only_its_hash_is_kept(shop):
    feed, token = feed_create(actor=shop.acme_admin, company=shop.acme, file_format="csv", language="en")

    assert (feed.token_hash, feed.token_hint, feed.currency) == (token_digest(token), token[-4:], "PLN")
    assert token not in str(Feed.objects.filter(pk=feed.pk).values().get())
    assert AuditEntry.objects.filter(action="feed.created", object_id=str(feed.pk)).exists()


def test_a_company_admin_manages_only_their_own_companys_feeds(shop):
    with pytest.raises(NotFound):
        feed_create(actor=shop.balkan_admin, company=shop.acme, file_format="csv", language="en")
    feed, _token = feed_create(actor=shop.acme_admin, company=shop.acme, file_format="csv", language="en")

    assert list(feeds_managed_by(shop.balkan_admin)) == []
    with pytest.raises(NotFound):
        feed_rotate(feed=feed, actor=shop.balkan_admin)


@pytest.mark.parametrize("role", [CompanyRole.BUYER, CompanyRole.APPROVER, CompanyRole.ACCOUNTANT])
def test_other_company_users_may_not_turn_feeds_on(shop, role):
    user = make_company_user(shop.acme, role)

    with pytest.raises(PermissionDenied):
        feed_create(actor=user, company=shop.acme, file_format="csv", language="en")


def test_a_rep_manages_the_feeds_of_their_own_customers_only(shop):
    rep = staff("Sales rep")
    shop.acme.sales_rep = rep
    shop.acme.save(update_fields=["sales_rep"])
    feed, _token = feed_create(actor=rep, company=shop.acme, file_format="csv", language="en")
    feed_create(actor=shop.balkan_admin, company=shop.balkan, file_format="csv", language="en")

    with pytest.raises(NotFound):
        feed_create(actor=rep, company=shop.balkan, file_format="csv", language="en")
    assert list(feeds_managed_by(rep)) == [feed]


def test_a_group_feed_is_for_staff_who_see_every_customer(shop):
    group = CustomerGroup.objects.create(code="wholesale", name="Wholesale")
    rep = staff("Sales rep")

    with pytest.raises(NotFound):
        feed_create(actor=rep, customer_group=group, file_format="csv", language="en")
    feed, _token = feed_create(actor=staff("Admin"), customer_group=group, file_format="json", language="en")
    feed_write(feed.pk)
    feed.refresh_from_db()

    assert feed.rows_count == 1  # the public drill; the saw is ACME's alone


def test_a_price_change_makes_the_feed_stale_and_housekeeping_writes_it_again(shop, settings):
    settings.FEED_MIN_INTERVAL_SECONDS = 300
    feed, _token = written(shop.acme, shop.acme_admin, "csv")
    assert not feed.stale
    PriceListEntry.objects.filter(variant=shop.drill, min_quantity=1).update(price=Decimal("85.00"))
    with transaction.atomic():
        event_publish("price_list.changed", {"price_list_id": shop.contract.pk, "source": "test"})

    assert Feed.objects.get(pk=feed.pk).stale
    assert feeds_refresh() == "0 catalog feeds queued"  # written less than 5 minutes ago
    Feed.objects.filter(pk=feed.pk).update(generated_at=timezone.now() - timedelta(seconds=301))
    assert feeds_refresh() == "1 catalog feeds queued"
    feed_write(feed.pk)  # what the queued task does

    feed.refresh_from_db()
    assert not feed.stale and b",85.00," in content(feed)


def test_a_stock_change_makes_the_feed_stale(shop):
    feed, _token = written(shop.acme, shop.acme_admin, "csv")

    stock_reserve(requests=[StockRequest(variant_id=shop.drill.pk, quantity=2)], reference="order 1")
    feeds_refresh()

    assert Feed.objects.get(pk=feed.pk).stale


def test_a_file_written_again_with_the_same_content_keeps_its_etag(shop):
    feed, _token = written(shop.acme, shop.acme_admin, "json")
    StockItem.objects.filter(variant=shop.drill).update(on_hand=7)  # no real change

    feed_write(feed.pk)

    again = Feed.objects.get(pk=feed.pk)
    assert (again.etag, again.modified_at, again.file.name) == (feed.etag, feed.modified_at, feed.file.name)


def test_a_new_file_replaces_the_old_one(shop):
    feed, _token = written(shop.acme, shop.acme_admin, "csv")
    StockItem.objects.filter(variant=shop.drill).update(on_hand=3)

    feed_write(feed.pk)

    again = Feed.objects.get(pk=feed.pk)
    assert again.etag != feed.etag and again.file.name != feed.file.name
    assert not feed.file.storage.exists(feed.file.name)


@pytest.mark.parametrize("file_format", ["csv", "bmecat"])
def test_writing_a_feed_takes_a_bounded_number_of_queries(shop, file_format, django_assert_max_num_queries):
    """300 products cost what 3 do, give or take a batch: nothing is read per product."""
    for _index in range(300):
        make_product(net="10.00", gross="12.30")
    feed, _token = feed_create(
        actor=shop.acme_admin, company=shop.acme, file_format=file_format, language="en"
    )

    with django_assert_max_num_queries(20):
        feed_write(feed.pk)

    assert Feed.objects.get(pk=feed.pk).rows_count == Variant.objects.count() == 302


def test_a_new_feed_is_written_once_not_queued_again_by_housekeeping_meanwhile(shop):
    """The new feed's first write is queued when it is made; housekeeping, a minute later and
    before the worker got to it, does not queue a second one."""
    feed_create(actor=shop.acme_admin, company=shop.acme, file_format="csv", language="en")

    assert feeds_refresh() == "0 catalog feeds queued"


def test_two_writes_of_one_feed_at_once_leave_no_file_behind(shop, monkeypatch):
    """A write that finishes after another one (queued twice, or a slow run) replaces the
    file the row points at when it finishes, not the one it saw when it started."""
    from tandem.feeds import tasks

    feed, _token = written(shop.acme, shop.acme_admin, "csv")
    storage = feed.file.storage
    before = set(storage.listdir("feeds")[1])
    real_items = tasks.feed_items
    overtaken = []

    def overtaken_by_another_write(feed_row):
        if not overtaken:
            overtaken.append(1)
            StockItem.objects.filter(variant=shop.drill).update(on_hand=3)
            tasks.feed_write(feed_row.pk)  # the other run starts later, finishes first
            StockItem.objects.filter(variant=shop.drill).update(on_hand=4)
        return real_items(feed_row)

    monkeypatch.setattr(tasks, "feed_items", overtaken_by_another_write)

    tasks.feed_write(feed.pk)

    current = Feed.objects.get(pk=feed.pk).file.name.removeprefix("feeds/")
    after = set(storage.listdir("feeds")[1])
    assert after - before == {current}
    assert feed.file.name.removeprefix("feeds/") not in after
