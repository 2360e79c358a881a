"""Payroll in the admin is read-only: changes go through the services (and the audit log)."""

from django.contrib import admin

from jixiao.web.payroll.models import PayPlan, PayPlanVersion, PayrollRun, Payslip


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class VersionInline(admin.TabularInline):
    model = PayPlanVersion
    extra = 0
    fields = ("number", "status", "published_at")
    readonly_fields = fields
    can_delete = False


@admin.register(PayPlan)
class PayPlanAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "created_at")
    inlines = [VersionInline]


@admin.register(PayrollRun)
class PayrollRunAdmin(ReadOnlyAdmin):
    list_display = ("name", "cycle", "plan_version", "status", "computed_at", "closed_at")
    list_filter = ("status",)


@admin.register(Payslip)
class PayslipAdmin(ReadOnlyAdmin):
    list_display = ("run", "employee", "department", "net")
    list_select_related = ("run", "employee", "department")
