"""Sign-in forms of the storefront and the admin: both go through the one throttle in the
authentication backend (``customers.throttle``) and say so when it refuses."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class ThrottledSignInMixin:
    """Turns the backend's refusal into "too many attempts" (not "wrong password")."""

    throttled_message = _("Too many failed attempts. Try again in %(minutes)s minutes.")

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            throttled = getattr(self.request, "sign_in_throttled", None) if self.request else None
            if throttled is None:
                raise
            raise forms.ValidationError(
                self.throttled_message, code="throttled", params={"minutes": max(throttled.seconds // 60, 1)}
            ) from None


class StaffLoginForm(ThrottledSignInMixin, AdminAuthenticationForm):
    """The admin's sign-in, throttled like the storefront's."""


class SignInForm(ThrottledSignInMixin, AuthenticationForm):
    """The storefront's sign-in: e-mail and password."""

    username = forms.EmailField(label=_("E-mail"), widget=forms.EmailInput(attrs={"autofocus": True}))

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Wrong e-mail or password, or the account is not active."),
    }
