"""Admin building blocks other apps' admins share."""


class ReadOnlyAdminMixin:
    """Records the system writes and staff only read (audit entries, events, consents):
    no adding, changing or deleting in the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
