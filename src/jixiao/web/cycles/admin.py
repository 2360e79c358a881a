"""Admin views of cycle data are read-only: changes go through the services (and the audit)."""

from django.contrib import admin

from jixiao.web.cycles.models import Appeal, Cycle, Participant


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Cycle)
class CycleAdmin(ReadOnlyAdmin):
    list_display = ("name", "period", "start", "end", "state")
    list_filter = ("state", "period")


@admin.register(Participant)
class ParticipantAdmin(ReadOnlyAdmin):
    list_display = ("cycle", "employee", "department", "eligible", "total", "grade")
    list_filter = ("cycle", "department", "eligible")
    list_select_related = ("cycle", "employee", "department")


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ("participant", "round", "status", "filed_at", "due_at")
    list_select_related = ("participant__cycle", "participant__employee")
