"""Celery application: eager in the embedded default, real workers when a broker is set."""

import logging
import os

from celery import Celery
from celery.signals import after_setup_logger, after_setup_task_logger

from faelles.core import tasklog
from faelles.redact import CprRedactingFilter

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "faelles.settings")
app = Celery("faelles")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _redact_cpr(logger: logging.Logger, **_: object) -> None:
    """A worker replaces the root logger's handlers with its own (and gives the task logger its
    own): each of them gets the CPR filter that settings.LOGGING puts on Django's handlers."""
    for handler in logger.handlers:
        if not any(isinstance(f, CprRedactingFilter) for f in handler.filters):
            handler.addFilter(CprRedactingFilter())


after_setup_logger.connect(_redact_cpr, weak=False)
after_setup_task_logger.connect(_redact_cpr, weak=False)
# A structured line and metrics per task, with the context of the request that queued it.
tasklog.connect()
