"""WSGI entry point for gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "faelles.settings")
application = get_wsgi_application()

# A production start without collected static files stops here instead of serving 500s.
from faelles.web.checks import ensure_deployable  # noqa: E402

ensure_deployable()
