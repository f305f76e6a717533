"""Admin building blocks other apps' admins share."""

from django.utils.html import format_html


class ReadOnlyAdminMixin:
    """Records the system writes and staff only read (audit entries, events, consents):
    no adding, changing or deleting in the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def progress_bar(job) -> str:
    """A background job's progress (rows done of the total) for an admin list or page."""
    return format_html(
        '<progress value="{}" max="100" title="{} %"></progress> {} / {}',
        job.progress,
        job.progress,
        job.rows_done,
        job.rows_total,
    )
