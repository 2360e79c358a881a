"""The demo's archived cycle has a closed payroll run; loading twice creates nothing new."""

from __future__ import annotations

from django.core.management import call_command

from jixiao.web.audit.models import AuditEntry
from jixiao.web.cycles.models import Cycle
from jixiao.web.payroll.models import PayComponent, PayrollRun, Payslip


def test_demo_has_a_closed_payroll_run(db):
    call_command("load_demo")
    archived = Cycle.objects.get(state="archived")
    run = PayrollRun.objects.get()
    assert run.cycle == archived and run.is_closed and run.closed_by.username == "hr"
    assert run.plan_version.plan.code == "kefu_zhuanyuan" and run.plan_version.is_published
    slips = Payslip.objects.filter(run=run)
    assert slips.count() >= 5
    assert PayComponent.objects.filter(payslip__run=run, trace__contains="月度服务之星").exists()
    assert AuditEntry.objects.filter(entity="payslip", action="compute").count() == slips.count()
    n_audit, n_slips = AuditEntry.objects.count(), Payslip.objects.count()
    call_command("load_demo")
    assert PayrollRun.objects.count() == 1 and Payslip.objects.count() == n_slips
    assert AuditEntry.objects.count() == n_audit
