from django.contrib import admin

from jixiao.web.audit.services import audit_record
from jixiao.web.org.models import Department, Employee, Level, Position, ShopAccount


class AuditedAdmin(admin.ModelAdmin):
    """Changes made in the admin leave an entry in the audit log too."""

    def save_model(self, request, obj, form, change):
        before = {f: form.initial.get(f) for f in form.changed_data} if change else None
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            entity=obj._meta.model_name,
            entity_id=obj.pk,
            action="admin_change" if change else "admin_create",
            before=before,
            after={f: form.cleaned_data.get(f) for f in form.changed_data},
            employee_id=obj.pk if isinstance(obj, Employee) else None,
        )

    def delete_model(self, request, obj):
        audit_record(
            actor=request.user,
            entity=obj._meta.model_name,
            entity_id=obj.pk,
            action="admin_delete",
            before={"repr": str(obj)},
        )
        super().delete_model(request, obj)


class ShopAccountInline(admin.TabularInline):
    model = ShopAccount
    extra = 0


@admin.register(Department)
class DepartmentAdmin(AuditedAdmin):
    list_display = ("code", "name", "parent", "head")
    search_fields = ("code", "name")
    autocomplete_fields = ("parent", "head")


@admin.register(Position)
class PositionAdmin(AuditedAdmin):
    list_display = ("code", "name", "department")
    search_fields = ("code", "name")


@admin.register(Level)
class LevelAdmin(AuditedAdmin):
    list_display = ("rank", "code", "name", "base_pay", "commission_points", "is_default")


@admin.register(Employee)
class EmployeeAdmin(AuditedAdmin):
    list_display = ("number", "name", "department", "position", "level", "manager", "status")
    list_filter = ("department", "status", "level", "is_hr", "is_gm", "is_leadership")
    search_fields = ("number", "name")
    list_select_related = ("department", "position", "level", "manager")
    autocomplete_fields = ("department", "manager", "user")
    filter_horizontal = ("oversees",)
    inlines = [ShopAccountInline]
