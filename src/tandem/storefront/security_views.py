"""The account's security page: two-factor sign-in, recovery codes, signed-in sessions.

Also the second sign-in step itself (``two_factor_verify``), which
``customers.security_middleware`` sends every held request to, staff coming from the
admin's sign-in included.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tandem.core.client_ip import client_ip
from tandem.core.errors import DomainError
from tandem.core.redirects import safe_next
from tandem.customers import sessions
from tandem.customers import two_factor as tfa
from tandem.customers.security_middleware import second_factor_given, second_factor_passed
from tandem.customers.throttle import SignInThrottled, throttled_message


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false", "size": 12}
        ),
        help_text=gettext_lazy("Six digits from your authenticator app, or one of your recovery codes."),
    )


def _code_checked(form: CodeForm, check) -> object | None:
    """Run ``check(code)`` when the form is valid; its result, or None with the refusal
    (wrong code, too many attempts) on the form."""
    if not form.is_valid():
        return None
    try:
        return check(form.cleaned_data["code"]) or True
    except SignInThrottled as throttled:
        form.add_error("code", throttled_message(throttled.seconds))
    except DomainError as error:
        form.add_error("code", error.message)
    return None


def _code_refusal(form: CodeForm) -> str:
    """Why the code was refused, naming the field (shown above the page, not beside it)."""
    return f"{form.fields['code'].label}: " + " ".join(str(error) for error in form.errors.get("code", []))


def _second_factor_done(request: HttpRequest) -> None:
    """A new session key for the signed-in user who has now given both factors (what was
    known before the second step cannot be reused), and the mark that lets requests on."""
    old_key = request.session.session_key
    request.session.cycle_key()
    sessions.session_renamed(request, old_key)
    second_factor_passed(request)


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the app or a recovery code."""
    user = request.user
    if second_factor_given(request) or not tfa.two_factor_required(user):
        return redirect(safe_next(request, "storefront:account"))
    if not user.two_factor_enabled:
        return redirect("storefront:two_factor_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and _code_checked(
        form,
        lambda code: tfa.two_factor_check(user=user, code=code, ip_address=client_ip(request)),
    ):
        _second_factor_done(request)
        left = tfa.recovery_codes_left(user)
        if left <= 2:
            messages.warning(
                request,
                _("You have %(count)s recovery codes left. Make new ones on the security page.")
                % {"count": left},
            )
        return redirect(safe_next(request, "storefront:account"))
    return render(
        request, "storefront/account/two_factor_verify.html", {"form": form, "next": safe_next(request, "")}
    )


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Scan the QR code, type the first code: two-factor sign-in is on, recovery codes shown once."""
    user = request.user
    if user.two_factor_enabled:
        return redirect("storefront:security")
    device = tfa.two_factor_begin(user)
    form = CodeForm(request.POST or None)
    form.fields["code"].help_text = _("The six digits your authenticator app shows now.")
    codes = None
    if request.method == "POST":
        codes = _code_checked(
            form,
            lambda code: tfa.two_factor_confirm(user=user, code=code, ip_address=client_ip(request)),
        )
    if codes:
        _second_factor_done(request)
        return render(
            request,
            "storefront/account/recovery_codes.html",
            {
                "codes": codes,
                "next": resolve_url(safe_next(request, "storefront:security")),
                "first_time": True,
            },
        )
    uri = tfa.provisioning_uri(user, device)
    return render(
        request,
        "storefront/account/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": tfa.provisioning_qr_svg(uri),
            "secret_groups": [device.secret[i : i + 4] for i in range(0, len(device.secret), 4)],
            "secret": device.secret,
            "mandatory": tfa.two_factor_mandatory(user),
            "next": safe_next(request, ""),
        },
    )


@login_required
def security(request: HttpRequest) -> HttpResponse:
    user = request.user
    current = request.session.session_key
    return render(
        request,
        "storefront/account/security.html",
        {
            "two_factor_on": user.two_factor_enabled,
            "mandatory": tfa.two_factor_mandatory(user),
            "codes_left": tfa.recovery_codes_left(user) if user.two_factor_enabled else 0,
            "sessions": sessions.sessions_of(user),
            "current_key": current,
            "form": CodeForm(),
        },
    )


@login_required
@require_POST
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = CodeForm(request.POST)
    if _code_checked(
        form,
        lambda code: tfa.two_factor_disable(user=user, code=code, ip_address=client_ip(request)),
    ):
        messages.success(request, _("Two-factor sign-in is off."))
    else:
        messages.error(request, _code_refusal(form))
    return redirect("storefront:security")


@login_required
@require_POST
def recovery_codes_renew(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = CodeForm(request.POST)
    codes = _code_checked(
        form,
        lambda code: tfa.recovery_codes_renew(user=user, code=code, ip_address=client_ip(request)),
    )
    if not codes:
        messages.error(request, _code_refusal(form))
        return redirect("storefront:security")
    return render(
        request,
        "storefront/account/recovery_codes.html",
        {"codes": codes, "next": resolve_url("storefront:security"), "first_time": False},
    )


@login_required
@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    ended = sessions.sign_out_everywhere(
        user=request.user, actor=request.user, keep=request, ip_address=client_ip(request) or None
    )
    messages.success(
        request,
        _("Signed out of every other session (%(count)s).") % {"count": ended},
    )
    return redirect("storefront:security")
