from django.contrib import admin

from jixiao.web.schemes.models import Scheme, SchemeVersion


class VersionInline(admin.TabularInline):
    model = SchemeVersion
    extra = 0
    fields = ("number", "status", "published_at")
    readonly_fields = fields
    can_delete = False


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "created_at")
    inlines = [VersionInline]
