from django.urls import path

from jixiao.web.jobs import views

app_name = "jobs"

urlpatterns = [
    path("<int:job_id>/", views.detail, name="detail"),
    path("<int:job_id>/progress/", views.progress, name="progress"),
    path("<int:job_id>/download/", views.download, name="download"),
    path("pay-sheet/<int:run_id>/", views.export_pay_sheet, name="export_pay_sheet"),
    path("results/<int:cycle_id>/", views.export_results, name="export_results"),
]
