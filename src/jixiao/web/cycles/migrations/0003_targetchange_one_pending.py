"""At most one pending target change per plan item (issue 9: ten identical posts made nine).

Databases that already hold several pending changes for one item keep the earliest pending;
the later duplicates are marked rejected (they were copies of the same request)."""

from __future__ import annotations

from django.db import migrations, models


def _reject_duplicates(apps, schema_editor):
    TargetChange = apps.get_model("cycles", "TargetChange")
    seen: set[int] = set()
    for change in TargetChange.objects.filter(status="pending").order_by("plan_item_id", "id"):
        if change.plan_item_id in seen:
            TargetChange.objects.filter(pk=change.pk).update(status="rejected")
        seen.add(change.plan_item_id)


class Migration(migrations.Migration):
    dependencies = [("cycles", "0002_deadline_calendar")]

    operations = [
        migrations.RunPython(_reject_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="targetchange",
            constraint=models.UniqueConstraint(
                condition=models.Q(status="pending"),
                fields=("plan_item",),
                name="cycles_targetchange_one_pending",
            ),
        ),
    ]
