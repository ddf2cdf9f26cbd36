from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only, so nobody adds, changes or deletes here."""

    list_display = ("at", "category", "action", "actor", "subject", "organisation", "ip_address")
    list_filter = ("category",)
    search_fields = ("action", "object_id", "actor__email")
    date_hierarchy = "at"
    list_select_related = ("actor", "subject", "organisation")
    readonly_fields = [field.name for field in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
