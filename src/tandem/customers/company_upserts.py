"""Companies (B2B customers) written in bulk by the merchant's ERP, keyed by its customer
number (``external_id``). A company that registered in the shop and has no ERP number yet is
found by its VAT ID and linked. VAT IDs are checked as on the shop's forms; customer groups,
payment terms and sales reps are named by code and e-mail. Everything is read before the
write; only the fields sent change; the same payload twice changes nothing.
"""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core.audit import audit_record
from tandem.core.errors import DomainError, NotFound
from tandem.core.translation import translation_problems, translations_merged
from tandem.core.upserts import ItemResult, UpsertReport, first_of_each
from tandem.customers.company_users import MemberTerms, invitation_create, member_patch
from tandem.customers.models import Address, Company, CompanyUser, CustomerGroup, Invitation, User
from tandem.customers.staff_scope import CHANGE_COMMERCIAL_TERMS
from tandem.customers.validators import validate_vat_id, vat_id_normalise

PLAIN_FIELDS = ("name", "country", "street", "postal_code", "city", "email", "phone", "language", "is_active")
TERMS_FIELDS = ("credit_limit", "overdue_tolerance", "currency")
TERMS_REFERENCES = ("customer_group", "payment_terms", "sales_rep")
REQUIRED_FOR_NEW = ("name", "vat_id", "country", "street", "postal_code", "city")


def companies_permissions(items: list[dict[str, Any]]) -> list[str]:
    """The rights writing these companies asks of a user, whichever way they come (the API, a
    file import): commercial terms (group, payment terms, limits, currency, rep) need their own."""
    needed = ["customers.add_company", "customers.change_company"]
    if any(name in item for item in items for name in (*TERMS_FIELDS, *TERMS_REFERENCES)):
        needed.append(CHANGE_COMMERCIAL_TERMS)
    return needed


def companies_upsert(
    items: list[dict[str, Any]], *, per_item: bool = False, dry_run: bool = False, actor_id: int | None = None
) -> UpsertReport:
    """Create or change the companies of ``items`` (each only with the fields sent)."""
    payment_terms = Company._meta.get_field("payment_terms").related_model  # billing's, read by code only
    keys = [item["external_id"] for item in items]
    vat_ids = set()
    for item in items:  # as sent, and as checked when the country is known (the prefix added)
        if item.get("vat_id"):
            vat_ids |= {
                vat_id_normalise(item["vat_id"]),
                _checked_vat(item["vat_id"], item.get("country", "")),
            }
    found = list(Company.objects.filter(Q(external_id__in=keys) | Q(vat_id__in=vat_ids)))
    by_key = {company.external_id: company for company in found if company.external_id}
    by_vat = {company.vat_id: company for company in found}
    groups = dict(CustomerGroup.objects.values_list("code", "pk"))
    terms = dict(payment_terms.objects.values_list("code", "pk"))
    reps = dict(
        User.objects.filter(
            is_staff=True,
            is_active=True,
            email__in={item["sales_rep"] for item in items if item.get("sales_rep")},
        ).values_list("email", "pk")
    )
    addresses = {
        (address.company_id, address.external_id): address
        for address in Address.objects.filter(company__in=found, external_id__isnull=False)
    }
    results: list[ItemResult] = []
    created, changed, changes = [], [], {}
    address_writes: list[tuple[Company, Address]] = []  # new or changed, with their company
    seen_vat: set[str] = set()
    for item, result in first_of_each(items, "external_id", results):
        company = by_key.get(item["external_id"])
        values = {name: item[name] for name in (*PLAIN_FIELDS, *TERMS_FIELDS) if name in item}
        if company is None and item.get("vat_id"):
            linked = by_vat.get(_checked_vat(item["vat_id"], item.get("country", "")))
            if linked is not None and linked.external_id is None:
                company, values["external_id"] = linked, item["external_id"]  # registered in the shop: linked
        if company is None:
            for name in REQUIRED_FOR_NEW:
                if not item.get(name):
                    result.error(name, "required", _("A new company needs this field."))
        if item.get("vat_id"):
            country = item.get("country") or (company.country if company else "")
            try:
                vat_id = validate_vat_id(item["vat_id"], country)
            except ValidationError as error:
                result.error("vat_id", error.code or "vat_id_invalid", error.messages[0])
            else:
                owner = by_vat.get(vat_id)
                if vat_id in seen_vat or (owner is not None and owner is not company):
                    result.error("vat_id", "vat_id_taken", _("Another company has this VAT ID."))
                seen_vat.add(vat_id)
                values["vat_id"] = vat_id
        for name, table, code in (
            ("customer_group", groups, "customer_group_unknown"),
            ("payment_terms", terms, "payment_terms_unknown"),
            ("sales_rep", reps, "sales_rep_unknown"),
        ):
            if name in item:
                reference = table.get(item[name]) if item[name] else None
                if item[name] and reference is None:
                    result.error(name, code, _("Nothing of this kind has this code or e-mail."))
                values[f"{name}_id"] = reference
        planned_addresses = _addresses(result, company, item.get("addresses", []), addresses)
        if result.errors:
            continue
        if company is None:
            company = Company(external_id=item["external_id"], **values)
            created.append((result, company))
            result.status = "created"
            address_writes += [(company, address) for address in planned_addresses]
            continue
        result.id = company.pk
        if planned_addresses:
            address_writes += [(company, address) for address in planned_addresses]
            result.status = "updated"
        before = {name: getattr(company, name) for name in values}
        differs = {name: value for name, value in values.items() if before[name] != value}
        if differs:
            for name, value in differs.items():
                setattr(company, name, value)
            changed.append(company)
            changes[item["external_id"]] = {
                name: [_plain(before[name]), _plain(value)] for name, value in differs.items()
            }
            result.status = "updated"
    report = UpsertReport(items=results)
    if report.errors and not per_item:
        return report
    if dry_run:  # checked only (a file import's first pass)
        return report
    with transaction.atomic():
        Company.objects.bulk_create([company for _result, company in created], batch_size=500)
        for result, company in created:
            result.id = company.pk
        if changed:
            now = timezone.now()
            for company in changed:
                company.updated_at = now
            fields = sorted({name for diff in changes.values() for name in diff} | {"updated_at"})
            Company.objects.bulk_update(changed, fields, batch_size=500)
        _addresses_write(address_writes)
        if created or changed or address_writes:
            audit_record(
                action="company.upserted",
                actor_id=actor_id,
                changes={
                    "created": [result.key for result, _company in created],
                    "changed": changes,
                    "addresses": [
                        f"{company.external_id}/{address.external_id}" for company, address in address_writes
                    ],
                },
            )
    report.written = True
    return report


ADDRESS_FIELDS = (
    "kind",
    "label",
    "recipient",
    "street",
    "postal_code",
    "city",
    "country",
    "phone",
    "is_default",
)
ADDRESS_REQUIRED = ("kind", "recipient", "street", "postal_code", "city", "country")


def _addresses(
    result: ItemResult, company: Company | None, sent: list[dict[str, Any]], existing: dict
) -> list[Address]:
    """The company's addresses that the item creates or changes (checked; the others stay)."""
    planned, seen = [], set()
    for position, item in enumerate(sent):
        path = f"addresses.{position}"
        if item["external_id"] in seen:
            result.error(
                f"{path}.external_id", "repeated", _("This external ID is given twice in the batch.")
            )
            continue
        seen.add(item["external_id"])
        address = (
            existing.get((company.pk, item["external_id"])) if company is not None and company.pk else None
        )
        values = {name: item[name] for name in ADDRESS_FIELDS if name in item}
        if address is None:
            missing = [name for name in ADDRESS_REQUIRED if not item.get(name)]
            for name in missing:
                result.error(f"{path}.{name}", "required", _("A new address needs this field."))
            if not missing:
                planned.append(Address(external_id=item["external_id"], **values))
        elif any(getattr(address, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(address, name, value)
            planned.append(address)
    return planned


def _addresses_write(writes: list[tuple[Company, Address]]) -> None:
    for company, address in writes:
        address.company_id = company.pk  # a company created in this batch has its id now
        address.save()
        if address.is_default:  # one default per kind, as on the company's own pages
            Address.objects.filter(company_id=company.pk, kind=address.kind, is_default=True).exclude(
                pk=address.pk
            ).update(is_default=False)


def _checked_vat(value: str, country: str) -> str:
    try:
        return validate_vat_id(value, country)
    except ValidationError:
        return vat_id_normalise(value)


def _plain(value: object) -> object:
    return str(value) if isinstance(value, Decimal) else value


def customer_groups_upsert(
    items: list[dict[str, Any]], *, per_item: bool = False, actor_id: int | None = None
) -> UpsertReport:
    """Create or rename customer groups by ``code`` (price lists and companies name them)."""
    existing = {
        group.code: group for group in CustomerGroup.objects.filter(code__in=[i["code"] for i in items])
    }
    results: list[ItemResult] = []
    planned = []
    for item, result in first_of_each(items, "code", results):
        group = existing.get(item["code"])
        if group is None and not item.get("name"):
            result.error("name", "required", _("A new customer group needs a name."))
            continue
        group = group or CustomerGroup(code=item["code"])
        values = {name: item[name] for name in ("name",) if name in item}
        if "translations" in item:
            problems = translation_problems(item["translations"], CustomerGroup.translated_fields)
            for where, code, message in problems:
                result.error(f"translations.{where}", code, message)
            if problems:
                continue
            values["translations"] = translations_merged(group.translations, item["translations"])
        differs = {name: value for name, value in values.items() if getattr(group, name) != value}
        if group.pk is None or differs:
            for name, value in differs.items():
                setattr(group, name, value)
            result.status = "created" if group.pk is None else "updated"
            planned.append((result, group))
        else:
            result.id = group.pk
    report = UpsertReport(items=results)
    if report.errors and not per_item:
        return report
    with transaction.atomic():
        for result, group in planned:
            group.save()
            result.id = group.pk
        if planned:
            audit_record(
                action="customer_group.upserted",
                actor_id=actor_id,
                changes={"codes": [r.key for r, _g in planned]},
            )
    report.written = True
    return report


MEMBER_FIELDS_SENT = ("role", "spending_limit_per_order", "spending_limit_per_month", "is_active")


class _Undo(Exception):
    """A member change refused while the batch was written (the last active admin)."""


def _member_write(
    company: Company, email: str, member: CompanyUser | None, changes: dict, actor: User
) -> None:
    if member is not None:
        member_patch(company_id=company.pk, member_id=member.pk, changes=changes, actor=actor)
        return
    terms = MemberTerms(
        role=changes["role"],
        spending_limit_per_order=changes.get("spending_limit_per_order"),
        spending_limit_per_month=changes.get("spending_limit_per_month"),
    )
    invitation_create(company_id=company.pk, email=email, terms=terms, invited_by=actor)


def company_users_upsert(
    *, company_external_id: str, items: list[dict[str, Any]], actor: User, per_item: bool = False
) -> UpsertReport:
    """The company's users by e-mail, as the ERP keeps them: a member's role, limits and
    active flag change (only what is sent; the company keeps an active admin); a new e-mail
    is invited (the person sets a password through the e-mailed link). NotFound for an
    unknown company."""
    company = Company.objects.filter(external_id=company_external_id).first()
    if company is None:
        raise NotFound(_("No company has this external ID."))
    emails = [User.objects.normalize_email(item["email"]).strip().lower() for item in items]
    members = {
        member.user.email.lower(): member
        for member in CompanyUser.objects.filter(company=company, user__email__in=emails).select_related(
            "user"
        )
    }
    pending = set(
        Invitation.objects.filter(
            company=company,
            email__in=emails,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).values_list("email", flat=True)
    )
    results: list[ItemResult] = []
    planned = []
    for item, result in first_of_each(
        [{**item, "email": email} for item, email in zip(items, emails, strict=True)], "email", results
    ):
        member = members.get(item["email"])
        changes = {name: item[name] for name in MEMBER_FIELDS_SENT if name in item}
        if member is not None:
            result.id = member.user_id
            if any(getattr(member, name) != value for name, value in changes.items()):
                planned.append((result, member, changes))
                result.status = "updated"
        elif item["email"] not in pending:
            if not item.get("role"):
                result.error("role", "required", _("A new company user needs a role."))
                continue
            planned.append((result, None, changes))
            result.status = "created"  # invited
    report = UpsertReport(items=results)
    if report.errors and not per_item:
        return report
    try:
        with transaction.atomic():  # all or nothing: a refusal met while writing undoes the rest
            for result, member, changes in planned:
                try:
                    _member_write(company, result.key, member, changes, actor)
                except DomainError as error:
                    result.error(error.field or "email", error.code, str(error.message))
                    if not per_item:
                        raise _Undo from error
    except _Undo:
        return report
    report.written = True
    return report
