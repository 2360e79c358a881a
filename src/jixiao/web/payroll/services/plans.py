"""Pay plan documents: create, edit, publish (freeze) and new drafts."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jixiao.web.access import UserLike, require_payroll_admin
from jixiao.web.document_versions import (
    document_create,
    version_new_draft,
    version_publish,
    version_update,
)
from jixiao.web.payroll.models import (
    PayPlan,
    PayPlanVersion,
)
from jixiao.web.payroll.plans import validate_plan_yaml
from jixiao.web.payroll.services._common import (
    PayPlanInvalidError,
    PayrollError,
)

# --- pay plan documents -------------------------------------------------------------------


@transaction.atomic
def payplan_create(*, user: UserLike, code: str, name: str, yaml_text: str) -> PayPlanVersion:
    require_payroll_admin(user=user)
    code, name = code.strip(), name.strip()
    if not code:
        raise PayrollError(_("请填写方案编码（或在 YAML 中写 code:）。"), field="code")

    def taken() -> PayrollError:
        return PayrollError(
            _("薪酬方案编码“%(code)s”已存在，请换一个编码，或打开该方案新建版本。"),
            params={"code": code},
            field="code",
        )

    version = document_create(
        actor=user,
        model=PayPlan,
        code=code,
        name=name,
        yaml_text=yaml_text,
        entity="payplan",
        taken=taken,
    )
    assert isinstance(version, PayPlanVersion)  # the document's own version model
    return version


@transaction.atomic
def payplan_version_update(
    *, user: UserLike, version: PayPlanVersion, yaml_text: str
) -> PayPlanVersion:
    require_payroll_admin(user=user)
    return version_update(
        actor=user, version=version, yaml_text=yaml_text, entity="payplan_version"
    )


def _publishable(yaml_text: str) -> dict[str, object]:
    messages = validate_plan_yaml(yaml_text)
    if messages:
        raise PayPlanInvalidError(messages)
    return {}


@transaction.atomic
def payplan_version_publish(*, user: UserLike, version: PayPlanVersion) -> PayPlanVersion:
    require_payroll_admin(user=user)
    return version_publish(
        actor=user, version=version, entity="payplan_version", check=_publishable
    )


@transaction.atomic
def payplan_version_new_draft(*, user: UserLike, plan: PayPlan) -> PayPlanVersion:
    """A new draft copied from the latest version (the way to change a published plan)."""
    require_payroll_admin(user=user)
    draft = version_new_draft(actor=user, document=plan, entity="payplan_version")
    assert isinstance(draft, PayPlanVersion)
    return draft
