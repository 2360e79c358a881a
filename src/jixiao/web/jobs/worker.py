"""The Celery application: ``celery -A jixiao.web.jobs.worker worker`` (``make worker``).

Settings come from Django's (``CELERY_*``, see settings.py and docs/deploy.md). A task is
acknowledged only after it ran (``acks_late``) and given back when a worker dies, so a lost
worker's job is run again by another — which is safe because a job runs once
(``jobs.runner``).
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")

app = Celery("jixiao")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_ignore_result=True,
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
)
app.autodiscover_tasks(["jixiao.web.jobs"])
