"""Persons authorised to collect goods for a company: kept by the company admin (and by
staff in the admin), shown on dispatch documents."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.core.errors import DomainError, NotFound
from tandem.core.tabular import printable
from tandem.customers.auth import company_admin_membership
from tandem.customers.models import PickupPerson, User


@dataclass(frozen=True, slots=True)
class PickupPersonData:
    full_name: str
    document_number: str
    valid_until: date | None = None
    notes: str = ""


ONLY_ADMIN_MANAGES = gettext_lazy(
    "Only the company admin can manage the persons authorised to collect goods."
)


def _admin_company_id(admin: User) -> int:
    return company_admin_membership(admin, ONLY_ADMIN_MANAGES).company_id


def _clean(data: PickupPersonData) -> PickupPersonData:
    full_name = " ".join(printable(data.full_name).split())[:150]
    document_number = "".join(printable(data.document_number).split()).upper()[:40]
    if not full_name:
        raise DomainError(_("Enter the person's full name."), code="name_required", field="full_name")
    if not document_number:
        raise DomainError(
            _("Enter the number of their ID document."), code="document_required", field="document_number"
        )
    if data.valid_until is not None and data.valid_until < timezone.localdate():
        raise DomainError(
            _("The authorisation must be valid until today or later."),
            code="valid_until_past",
            field="valid_until",
        )
    return PickupPersonData(
        full_name=full_name,
        document_number=document_number,
        valid_until=data.valid_until,
        notes=printable(data.notes)[:255],
    )


def pickup_person_save(*, admin: User, data: PickupPersonData, person_id: int | None = None) -> PickupPerson:
    """Add a person (``person_id`` None) or change one of the admin's company; another
    company's person is NotFound."""
    company_id = _admin_company_id(admin)
    data = _clean(data)
    with transaction.atomic():
        if person_id is None:
            person = PickupPerson(company_id=company_id)
        else:
            person = (
                PickupPerson.objects.select_for_update().filter(pk=person_id, company_id=company_id).first()
            )
            if person is None:
                raise NotFound()
        person.full_name, person.document_number = data.full_name, data.document_number
        person.valid_until, person.notes = data.valid_until, data.notes
        person.save()
    return person


def pickup_person_delete(*, admin: User, person_id: int) -> None:
    deleted, _rows = PickupPerson.objects.filter(pk=person_id, company_id=_admin_company_id(admin)).delete()
    if not deleted:
        raise NotFound()
