"""Celery application: eager in the embedded default, real workers when a broker is set."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "faelles.settings")
app = Celery("faelles")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
