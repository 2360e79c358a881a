"""One payroll run per name in a cycle (issue 9: ten identical posts made ten runs).

Runs that already share a name in a cycle keep it on the first; the others get `` #<id>``."""

from __future__ import annotations

from django.db import migrations, models


def _rename_duplicates(apps, schema_editor):
    PayrollRun = apps.get_model("payroll", "PayrollRun")
    seen: set[tuple[int, str]] = set()
    for run in PayrollRun.objects.order_by("cycle_id", "id"):
        key = (run.cycle_id, run.name)
        if key in seen:
            PayrollRun.objects.filter(pk=run.pk).update(name=f"{run.name[:110]} #{run.pk}")
        seen.add(key)


class Migration(migrations.Migration):
    dependencies = [("payroll", "0001_initial")]

    operations = [
        migrations.RunPython(_rename_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="payrollrun",
            constraint=models.UniqueConstraint(
                fields=("cycle", "name"), name="payroll_run_name_unique"
            ),
        ),
    ]
