"""Drop cached signed-in users when their account, membership or company changes.

Only cache bookkeeping lives here; no business rule reacts to these signals.
"""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from tandem.customers.auth import user_cache_key
from tandem.customers.models import Company, CompanyUser, User


def _forget(user_ids) -> None:
    keys = [user_cache_key(user_id) for user_id in user_ids]
    cache.delete_many(keys)
    # Again after commit: a request between the save and the commit may have cached the
    # old row, still active, in the meantime.
    transaction.on_commit(lambda: cache.delete_many(keys))


def _user_changed(sender, instance: User, **kwargs) -> None:
    _forget([instance.pk])


def _membership_changed(sender, instance: CompanyUser, **kwargs) -> None:
    _forget([instance.user_id])


def _company_changed(sender, instance: Company, **kwargs) -> None:
    _forget(list(CompanyUser.objects.filter(company_id=instance.pk).values_list("user_id", flat=True)))


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(_user_changed, sender=User, dispatch_uid="tandem-user-cache-user")
        signal.connect(_membership_changed, sender=CompanyUser, dispatch_uid="tandem-user-cache-membership")
        signal.connect(_company_changed, sender=Company, dispatch_uid="tandem-user-cache-company")
