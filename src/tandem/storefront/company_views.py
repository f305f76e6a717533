"""The company admin's client-panel pages besides users: invitations, persons authorised to
collect goods, approval rules (thin: the services decide who may do what)."""

from collections.abc import Callable
from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.catalog import selectors as catalog
from tandem.core.client_ip import client_ip
from tandem.core.errors import DomainError, NotFound
from tandem.customers import company_keys, company_users, pickup_persons, two_factor
from tandem.customers import selectors as customers
from tandem.customers.selectors import is_company_admin
from tandem.orders import approvals
from tandem.storefront.forms import ApprovalRuleForm, CompanyKeyForm, PickupPersonForm


def _run(request: HttpRequest, action: Callable[[], object], done: str, anchor: str) -> HttpResponse:
    """Run a service, tell the user how it went, and go back to the company page."""
    try:
        action()
    except NotFound as error:
        raise Http404 from error
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect(f"{_company_url()}#{anchor}")


def _company_url() -> str:
    return reverse("storefront:company")


def _form_errors(form) -> str:
    return " ".join(
        f"{form.fields[name].label}: {error}" if name in form.fields else str(error)
        for name, errors in form.errors.items()
        for error in errors
    )


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    return _run(
        request,
        lambda: company_users.invitation_revoke(admin=request.user, invitation_id=invitation_id),
        _("The invitation is withdrawn; its link no longer works."),
        "invitations",
    )


@login_required
def pickup_person_edit(request: HttpRequest, person_id: int | None = None) -> HttpResponse:
    """Add or change a person authorised to collect goods (company admin)."""
    if not is_company_admin(request.user):
        messages.error(request, pickup_persons.ONLY_ADMIN_MANAGES)
        return redirect(f"{_company_url()}#pickup-persons")
    person = None
    if person_id is not None:
        try:
            person = customers.pickup_person_of(request.user, person_id)
        except NotFound as error:
            raise Http404 from error
    initial = {name: getattr(person, name) for name in PickupPersonForm.base_fields} if person else {}
    form = PickupPersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            pickup_persons.pickup_person_save(
                admin=request.user,
                person_id=person_id,
                data=pickup_persons.PickupPersonData(**form.cleaned_data),
            )
        except NotFound as error:
            raise Http404 from error
        except DomainError as error:
            if error.field in form.fields:
                form.add_error(error.field, error.message)
            else:
                form.add_error(None, error.message)
        else:
            messages.success(request, _("Saved."))
            return redirect(f"{_company_url()}#pickup-persons")
    return render(request, "storefront/company/pickup_person_form.html", {"form": form, "person": person})


@login_required
@require_POST
def pickup_person_delete(request: HttpRequest, person_id: int) -> HttpResponse:
    return _run(
        request,
        lambda: pickup_persons.pickup_person_delete(admin=request.user, person_id=person_id),
        _("The person is removed."),
        "pickup-persons",
    )


def approval_rule_form(data=None) -> ApprovalRuleForm:
    return ApprovalRuleForm(
        data,
        categories=[
            (category.pk, "· " * category.depth + category.tr("name"))
            for category in catalog.all_categories()
        ],
    )


@login_required
@require_POST
def approval_rule_add(request: HttpRequest) -> HttpResponse:
    form = approval_rule_form(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(f"{_company_url()}#approval-rules")
    data = form.cleaned_data
    return _run(
        request,
        lambda: approvals.approval_rule_add(
            admin=request.user, min_total=data["min_total"], role=data["role"], category_id=data["category"]
        ),
        _("The rule is added."),
        "approval-rules",
    )


@login_required
@require_POST
def approval_rule_delete(request: HttpRequest, rule_id: int) -> HttpResponse:
    return _run(
        request,
        lambda: approvals.approval_rule_delete(admin=request.user, rule_id=rule_id),
        _("The rule is removed."),
        "approval-rules",
    )


@login_required
@require_POST
def two_factor_rule(request: HttpRequest) -> HttpResponse:
    """The company admin requires two-factor sign-in of every user, or stops requiring it."""
    required = request.POST.get("required") == "1"
    return _run(
        request,
        lambda: two_factor.company_two_factor_set(
            admin=request.user, required=required, ip_address=client_ip(request) or None
        ),
        _("Every user of the company now confirms sign-ins with an authenticator app.")
        if required
        else _("Two-factor sign-in is now each user's choice."),
        "sign-in",
    )


NEW_KEY_SESSION = "company_api_key_new"  # shown once on the company page, then forgotten


def _show_once(request: HttpRequest, key, plain: str) -> None:
    request.session[NEW_KEY_SESSION] = {"name": key.name, "key": plain}


@login_required
@require_POST
def api_key_create(request: HttpRequest) -> HttpResponse:
    """The company admin makes a key for the company's own system."""
    form = CompanyKeyForm(request.POST, members=company_keys.company_key_users(request.user))
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(f"{_company_url()}#api-keys")
    data = form.cleaned_data
    expires = data["expires"]

    def create() -> None:
        key, plain = company_keys.company_api_key_create(
            admin=request.user,
            user_id=data["user_id"],
            name=data["name"],
            scopes=data["scopes"],
            expires_at=timezone.make_aware(datetime.combine(expires, time.max)) if expires else None,
            ip_address=client_ip(request) or None,
        )
        _show_once(request, key, plain)

    return _run(request, create, _("The key is made. Copy it now: it is not shown again."), "api-keys")


@login_required
@require_POST
def api_key_rotate(request: HttpRequest, key_id: int) -> HttpResponse:
    def rotate() -> None:
        key, plain = company_keys.company_api_key_rotate(admin=request.user, key_id=key_id)
        _show_once(request, key, plain)

    return _run(
        request, rotate, _("A new key is made; the old one works for 24 more hours. Copy it now."), "api-keys"
    )


@login_required
@require_POST
def api_key_revoke(request: HttpRequest, key_id: int) -> HttpResponse:
    return _run(
        request,
        lambda: company_keys.company_api_key_revoke(
            admin=request.user, key_id=key_id, ip_address=client_ip(request) or None
        ),
        _("The key is revoked; it no longer works."),
        "api-keys",
    )
