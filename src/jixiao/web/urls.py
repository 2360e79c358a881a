from django.contrib import admin
from django.urls import include, path, register_converter
from django.views.i18n import set_language

from jixiao.web.ops.health import healthz
from jixiao.web.viewutils import IdConverter

register_converter(IdConverter, "id")  # before the apps' URLs, which use <id:…>

admin.site.site_header = "绩效管理后台"
admin.site.site_title = "绩效"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("jobs/", include("jixiao.web.jobs.urls")),
    path("accounts/", include("jixiao.web.accounts.urls")),
    path("admin/", admin.site.urls),
    path("audit/", include("jixiao.web.audit.urls")),
    path("schemes/", include("jixiao.web.schemes.urls")),
    path("payroll/", include("jixiao.web.payroll.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("jixiao.web.imports.urls")),
    path("", include("jixiao.web.cycles.urls")),
]
