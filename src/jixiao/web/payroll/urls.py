from django.urls import path

from jixiao.web.payroll import views

app_name = "payroll"
urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.my_slips, name="me"),
    path("plans/", views.plan_list, name="plans"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/versions/<id:version_id>/", views.plan_version, name="plan_version"),
    path("plans/versions/<id:version_id>/validate/", views.plan_validate, name="plan_validate"),
    path("plans/versions/<id:version_id>/publish/", views.plan_publish, name="plan_publish"),
    path("plans/versions/<id:version_id>/new-draft/", views.plan_new_draft, name="plan_new_draft"),
    path("cycles/<id:cycle_id>/", views.cycle_runs, name="cycle_runs"),
    path("cycles/<id:cycle_id>/new/", views.run_new, name="run_new"),
    path("runs/<id:run_id>/", views.run_sheet, name="run"),
    path("runs/<id:run_id>/inputs/", views.run_inputs, name="run_inputs"),
    path("runs/<id:run_id>/input/", views.run_input_set, name="run_input_set"),
    path("runs/<id:run_id>/compute/", views.run_compute, name="run_compute"),
    path("runs/<id:run_id>/close/", views.run_close, name="run_close"),
    path("runs/<id:run_id>/export.xlsx", views.run_export, name="run_export"),
    path("slips/<id:payslip_id>/", views.slip, name="slip"),
    path("slips/<id:payslip_id>/adjust/", views.slip_adjust, name="slip_adjust"),
    path("slips/<id:payslip_id>/export.xlsx", views.slip_export, name="slip_export"),
]
