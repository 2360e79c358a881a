"""What the signed-in person may open, for menus and buttons (the pages check again)."""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.web.access._actor import UserLike
from jixiao.web.access.audit import can_read_audit
from jixiao.web.access.cycles import can_manage_cycles, can_view_team
from jixiao.web.access.imports import can_import_data
from jixiao.web.access.org import can_open_admin, can_read_everyone
from jixiao.web.access.payroll import can_manage_payroll, can_read_pay_sheets
from jixiao.web.access.roles import can_export

__all__ = ["Abilities", "abilities_of"]


@dataclass(frozen=True)
class Abilities:
    """``may`` in every template: ``{% if may.hr_setup %}``."""

    hr_setup: bool = False  # 人事设置, 考核方案, cycles, absences, deadlines
    pay_plans: bool = False  # 薪酬方案, payroll runs and inputs
    team: bool = False  # 我的团队, score charts before publication
    pay_sheets: bool = False  # 工资 (pay sheets)
    import_data: bool = False  # 导入平台报表, data forms
    audit: bool = False  # 审计日志
    export: bool = False  # export / print other people's records
    see_everyone: bool = False  # every department's data
    admin: bool = False  # Django's admin (staff accounts)


def abilities_of(user: UserLike | None) -> Abilities:
    """Nothing for an anonymous visitor."""
    if user is None or not user.is_authenticated:
        return Abilities()
    return Abilities(
        hr_setup=can_manage_cycles(user=user),
        pay_plans=can_manage_payroll(user=user),
        team=can_view_team(user=user),
        pay_sheets=can_read_pay_sheets(user=user),
        import_data=can_import_data(user=user),
        audit=can_read_audit(user=user),
        export=can_export(user=user),
        see_everyone=can_read_everyone(user=user),
        admin=can_open_admin(user=user),
    )
