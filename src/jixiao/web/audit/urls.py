from django.urls import path

from jixiao.web.audit import views

app_name = "audit"
urlpatterns = [path("", views.audit_browser, name="list")]
