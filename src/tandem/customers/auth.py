"""Log in with an e-mail address; deactivated users and company users are refused."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


def membership_of(user):
    """The user's CompanyUser row, or None for staff and B2C customers."""
    try:
        return user.company_user
    except get_user_model().company_user.RelatedObjectDoesNotExist:
        return None


class EmailBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        if not super().user_can_authenticate(user):
            return False
        membership = membership_of(user)
        if membership is not None:
            return membership.is_active and membership.company.is_active
        return True

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related(
                "company_user__company"
            ).get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        # A company user deactivated mid-session is logged out on the next request.
        return user if self.user_can_authenticate(user) else None
