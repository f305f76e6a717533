from django import forms
from django.contrib import admin, messages
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from tandem.core.admin_mixins import ReadOnlyAdminMixin, progress_bar
from tandem.core.errors import DomainError, NotFound
from tandem.core.exports import (
    export_check,
    export_download,
    export_job_create,
    export_kinds_for,
    export_of,
    exports_visible_to,
)
from tandem.core.models import AuditEntry, ExportFormat, ExportJob, ExportStatus, OutboxEvent


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Records the system writes and staff only read: no adding, changing or deleting."""


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The audit log, to read and filter: by action, by who, for which customer, by date."""

    list_display = ["created_at", "action", "actor", "on_behalf_of", "object_type", "object_id", "ip_address"]
    list_filter = [
        "action",
        "object_type",
        ("actor", admin.RelatedOnlyFieldListFilter),
        ("on_behalf_of", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["action", "object_id", "actor__email", "on_behalf_of__name", "ip_address"]
    list_select_related = ["actor", "on_behalf_of"]
    readonly_fields = [
        "created_at",
        "action",
        "actor",
        "on_behalf_of",
        "object_type",
        "object_id",
        "changes",
        "ip_address",
    ]
    date_hierarchy = "created_at"


@admin.register(OutboxEvent)
class OutboxEventAdmin(ReadOnlyAdmin):
    """Domain events, to read: what is still undelivered, how often a subscriber failed and why."""

    list_display = ["created_at", "name", "delivered_at", "attempts"]
    list_filter = ["name", ("delivered_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "last_error"]
    date_hierarchy = "created_at"
    readonly_fields = ["name", "payload", "created_at", "delivered_at", "attempts", "last_error"]


class ExportJobForm(forms.ModelForm):
    """A new export: what, in which format, and optionally only what changed since a time."""

    kind = forms.ChoiceField(label=_("kind"))

    class Meta:
        model = ExportJob
        fields = ["kind", "file_format", "updated_since"]

    user = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind.code, kind.label) for kind in export_kinds_for(self.user)]
        self.fields["kind"].label = capfirst(_("kind"))
        self.fields["file_format"].initial = ExportFormat.CSV  # the blank choice made a first try fail

    def clean(self):
        cleaned = super().clean()
        try:
            export_check(
                user=self.user,
                kind=cleaned.get("kind", ""),
                file_format=cleaned.get("file_format", ""),
                updated_since=cleaned.get("updated_since"),
            )
        except DomainError as error:
            raise forms.ValidationError(str(error.message)) from error
        return cleaned


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    """Exports: asked for here (or over the API), written by the worker, downloaded by the
    staff member who asked — each sees only their own, since a file holds what its user may
    see (a sales rep's: their own customers)."""

    list_display = ["__str__", "kind", "file_format", "status", "progress_bar", "download", "created_at"]
    list_filter = ["kind", "status"]
    fields = ["kind", "file_format", "updated_since"]
    readonly_fields = [
        "kind",
        "file_format",
        "updated_since",
        "status",
        "progress_bar",
        "download",
        "message",
        "created_at",
        "finished_at",
    ]

    def get_queryset(self, request):
        return exports_visible_to(request.user)

    def get_fields(self, request, obj=None):
        return self.fields if obj is None else self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = type("ExportJobUserForm", (ExportJobForm,), {"user": request.user})
        return super().get_form(request, obj, change, **kwargs)

    # Any active staff member may export what their rights show them (the kinds offered are
    # those); the rows are scoped by core.exports, the list by get_queryset.
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and (obj is None or obj.created_by_id == request.user.pk)

    def has_add_permission(self, request):
        return self.has_module_permission(request) and bool(export_kinds_for(request.user))

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def save_model(self, request, obj, form, change):
        job = export_job_create(
            user=request.user,
            kind=form.cleaned_data["kind"],
            file_format=form.cleaned_data["file_format"],
            updated_since=form.cleaned_data["updated_since"],
        )
        obj.pk = job.pk

    def save_related(self, request, form, formsets, change):
        pass  # nothing related: the service saved the job

    def delete_model(self, request, obj):
        obj.file.delete(save=False)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for job in queryset:
            job.file.delete(save=False)
        super().delete_queryset(request, queryset)

    @admin.display(description=_("progress"))
    def progress_bar(self, job: ExportJob) -> str:
        return progress_bar(job)

    @admin.display(description=_("file"))
    def download(self, job: ExportJob) -> str:
        if job.status != ExportStatus.DONE:
            return job.message or "—"
        url = reverse("admin:core_exportjob_download", args=[job.pk])
        return format_html('<a href="{}">{}</a>', url, job.download_name)

    def get_urls(self):
        return [
            path(
                "<int:job_id>/download",
                self.admin_site.admin_view(self.download_view),
                name="core_exportjob_download",
            ),
            *super().get_urls(),
        ]

    def download_view(self, request, job_id: int):
        try:
            return export_download(export_of(request.user, job_id))
        except DomainError as error:
            if isinstance(error, NotFound):
                raise Http404 from error
            messages.error(request, str(error.message))
            return HttpResponseRedirect(reverse("admin:core_exportjob_changelist"))
