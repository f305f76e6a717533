"""The audit log of sensitive actions (price changes, credit limits, acting on behalf…)."""

from typing import Any

from django.db import models

from tandem.core.models import AuditEntry


def audit_export(
    *, kind: str, actor_id: int | None, on_behalf_of_id: int | None = None, **details: Any
) -> None:
    """Note that someone took data out of the shop: what (``export.<kind>``) and the details
    given (rows, format, filters)."""
    audit_record(
        action=f"export.{kind}",
        actor_id=actor_id,
        on_behalf_of_id=on_behalf_of_id,
        changes={key: value for key, value in details.items() if value not in ("", None)},
    )


def audit_record(
    *,
    action: str,
    actor_id: int | None,
    target: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    on_behalf_of_id: int | None = None,
    ip_address: str | None = None,
) -> AuditEntry:
    """Write one audit entry; call it inside the transaction of the change it records."""
    return AuditEntry.objects.create(
        action=action,
        actor_id=actor_id,
        on_behalf_of_id=on_behalf_of_id,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        changes=changes or {},
        ip_address=ip_address,
    )
