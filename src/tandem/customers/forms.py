"""Sign-in forms of the storefront and the admin: both go through the one throttle in the
authentication backend (``customers.throttle``) and say so when it refuses."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from tandem.customers.throttle import throttled_message


class ThrottledSignInMixin:
    """Turns the backend's refusal into "too many attempts" (not "wrong password")."""

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            throttled = getattr(self.request, "sign_in_throttled", None) if self.request else None
            if throttled is None:
                raise
            raise forms.ValidationError(throttled_message(throttled.seconds), code="throttled") from None


class StaffLoginForm(ThrottledSignInMixin, AdminAuthenticationForm):
    """The admin's sign-in, throttled like the storefront's."""


class SignInForm(ThrottledSignInMixin, AuthenticationForm):
    """The storefront's sign-in: e-mail and password."""

    username = forms.EmailField(label=_("E-mail"), widget=forms.EmailInput(attrs={"autofocus": True}))

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Wrong e-mail or password, or the account is not active."),
    }
