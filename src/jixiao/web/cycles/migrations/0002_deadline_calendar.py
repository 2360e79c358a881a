"""Deadlines counted with China's holidays; deadlines that were stored at 23:59:59 *UTC*
(shown as 07:59 the next morning in Asia/Shanghai) are moved to 23:59:59 local time."""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.db import migrations, models


def end_of_local_day(apps, schema_editor):
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    if dt.datetime(2026, 1, 1, tzinfo=tz).utcoffset() == dt.timedelta(0):
        return
    Cycle = apps.get_model("cycles", "Cycle")
    for cycle in Cycle.objects.all():
        changed = {}
        for name in ("rating_deadline", "appeal_deadline"):
            at = getattr(cycle, name)
            if at is None:
                continue
            utc = at.astimezone(dt.UTC)
            if (utc.hour, utc.minute, utc.second) == (23, 59, 59):
                changed[name] = dt.datetime.combine(utc.date(), dt.time(23, 59, 59), tzinfo=tz)
        if changed:
            Cycle.objects.filter(pk=cycle.pk).update(**changed)


class Migration(migrations.Migration):
    dependencies = [
        ("cycles", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="cycle",
            name="appeal_deadline_weekdays_only",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="cycle",
            name="rating_deadline_weekdays_only",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(end_of_local_day, migrations.RunPython.noop),
    ]
