"""Customer writes: profile and addresses (registration: ``customers.registration``). One use
case, one transaction."""

from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy

from tandem.core.errors import DomainError, PermissionDenied
from tandem.customers.models import Address, AddressKind, User
from tandem.customers.selectors import address_owner, can_manage_addresses


@dataclass(frozen=True, slots=True)
class AddressData:
    recipient: str
    street: str
    postal_code: str
    city: str
    country: str
    label: str = ""
    phone: str = ""
    kind: str = AddressKind.DELIVERY
    is_default: bool = False


def profile_update(*, user: User, full_name: str, phone: str, language: str) -> User:
    user.full_name, user.phone, user.language = full_name.strip(), phone.strip(), language
    user.save(update_fields=["full_name", "phone", "language"])
    return user


ONLY_ADMIN_EDITS_ADDRESSES = gettext_lazy("Only the company admin can change company addresses.")


def _owner_of_addresses(user: User) -> dict:
    """Whose addresses the user may change; PermissionDenied for a company user who is not
    the company admin."""
    if not can_manage_addresses(user):
        raise PermissionDenied(ONLY_ADMIN_EDITS_ADDRESSES)
    return address_owner(user)


def address_save(*, user: User, data: AddressData, address: Address | None = None) -> Address:
    """Create or update an address of the user (or of their company, for company admins).

    Making an address the default clears the default flag of the owner's others of its kind.
    """
    owner = _owner_of_addresses(user)
    with transaction.atomic():
        if address is None:
            address = Address(**owner)
        elif not _owns(owner, address):
            raise PermissionDenied()
        for name, value in asdict(data).items():
            setattr(address, name, value)
        try:
            address.full_clean()
        except ValidationError as error:
            field, problems = next(iter(error.message_dict.items()))
            raise DomainError(" ".join(problems), code="address_invalid", field=field) from error
        address.save()
        if address.is_default:
            Address.objects.filter(**owner, kind=address.kind, is_default=True).exclude(pk=address.pk).update(
                is_default=False
            )
    return address


def address_delete(*, user: User, address: Address) -> None:
    if not _owns(_owner_of_addresses(user), address):
        raise PermissionDenied()
    address.delete()


def _owns(owner: dict, address: Address) -> bool:
    if "company" in owner:
        return address.company_id == owner["company"].pk
    return address.user_id == owner["user"].pk
