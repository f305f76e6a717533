"""The account's privacy page: consents, a copy of one's data, erasure of the account."""

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tandem.core.client_ip import client_ip
from tandem.core.errors import DomainError
from tandem.customers.consents import consent_record, consents_current
from tandem.customers.models import ConsentKind, ConsentSource
from tandem.privacy.services import account_erase, erasure_refusal, personal_data_export, zip_download


class ErasureForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your password"), widget=forms.PasswordInput, max_length=128
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that my account and its data are erased for good.")
    )


@login_required
def privacy(request: HttpRequest) -> HttpResponse:
    consents = consents_current(request.user)
    return render(
        request,
        "privacy/account.html",
        {
            "terms": consents[ConsentKind.TERMS],
            "policy": consents[ConsentKind.PRIVACY],
            "marketing": consents[ConsentKind.MARKETING_EMAIL],
            "erasure_refusal": erasure_refusal(request.user),
            "erasure_form": ErasureForm(),
        },
    )


@login_required
@require_POST
def marketing(request: HttpRequest) -> HttpResponse:
    granted = request.POST.get("granted") == "1"
    consent_record(
        user=request.user,
        kind=ConsentKind.MARKETING_EMAIL,
        granted=granted,
        source=ConsentSource.ACCOUNT,
        ip_address=client_ip(request) or None,
    )
    messages.success(
        request,
        _("You will get our offers by e-mail.") if granted else _("You will get no more offers by e-mail."),
    )
    return redirect("privacy:account")


@login_required
@require_POST
def export(request: HttpRequest) -> HttpResponse:
    archive = personal_data_export(
        user=request.user, actor=request.user, ip_address=client_ip(request) or None
    )
    return zip_download(archive, f"my-data-{timezone.localdate():%Y-%m-%d}.zip")


@login_required
@require_POST
def erase(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ErasureForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
        return redirect("privacy:account")
    try:
        report = account_erase(
            user=user, password=form.cleaned_data["password"], ip_address=client_ip(request)
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("privacy:account")
    logout(request)
    messages.success(
        request,
        _(
            "Your account is erased. %(orders)s orders and %(invoices)s invoices are kept until "
            "%(year)s, as the accounting law requires."
        )
        % {"orders": report.orders_kept, "invoices": report.invoices_kept, "year": report.kept_until_year},
    )
    return redirect("storefront:home")
