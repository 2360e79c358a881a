from django.contrib import admin

from jixiao.web.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: entries can be looked at, never added, changed or deleted here."""

    list_display = ("at", "actor_name", "entity", "entity_id", "action", "reason")
    list_filter = ("entity", "action")
    search_fields = ("actor_name", "entity_id", "reason")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
