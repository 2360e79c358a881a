"""Payroll test helpers: a published built-in pay plan, a run and its inputs."""

from __future__ import annotations

from jixiao.pay import LIBRARY
from jixiao.web.payroll import services as ps
from jixiao.web.payroll.models import PayPlanVersion, PayrollRun

KEFU = (LIBRARY / "kefu_zhuanyuan.yaml").read_text("utf-8")
HEADER = "工号,姓名,个人销售额,中评修改个数,差评修改个数,奖惩,奖惩原因\n"


def published_plan(org, text: str = KEFU, code: str = "kefu_zhuanyuan") -> PayPlanVersion:
    v = ps.payplan_create(user=org.hr.user, code=code, name="客服专员", yaml_text=text)
    return ps.payplan_version_publish(user=org.hr.user, version=v)


def inputs_csv(org, people=None) -> bytes:
    people = people or [org.employee, org.peer, org.outsider]
    rows = [f"{e.number},{e.name},{10000 * (i + 1)},1,0,0," for i, e in enumerate(people)]
    return (HEADER + "\n".join(rows) + "\n").encode("utf-8")


def computed_run(org, cycle, version=None, people=None, name: str = "") -> PayrollRun:
    version = version or published_plan(org)
    run = ps.payroll_run_create(user=org.hr.user, cycle=cycle, version=version, name=name)
    ps.payroll_inputs_import(
        user=org.hr.user, run=run, filename="in.csv", content=inputs_csv(org, people)
    )
    return ps.payroll_run_compute(user=org.hr.user, run=run)
