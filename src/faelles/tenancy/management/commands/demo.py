"""``faelles demo``: load the demo data (idempotent) and print the demo logins.

Tenancy's own data comes first; then every installed Fælles app that has a ``demo`` module
with ``load_demo(*, stdout)`` adds its part, in ``INSTALLED_APPS`` order.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from faelles.tenancy.demo import load_demo


def app_demo_loaders() -> list[tuple[str, Any]]:
    """``(app label, load_demo)`` of every installed Fælles app other than tenancy."""
    loaders = []
    for config in apps.get_app_configs():
        if not config.name.startswith("faelles.") or config.label == "tenancy":
            continue
        module_name = f"{config.name}.demo"
        if importlib.util.find_spec(module_name) is None:
            continue
        loader = getattr(importlib.import_module(module_name), "load_demo", None)
        if callable(loader):
            loaders.append((config.label, loader))
    return loaders


class Command(BaseCommand):
    help = "Load the demo data (operator, institutions, users, agreements, each app's demo)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="load the demo users (with their published password) even in production",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "PRODUCTION", False) and not options["allow_production"]:
            raise CommandError(
                "refusing to load demo users with a published password in production "
                "(FAELLES_ENV=production); pass --allow-production to insist"
            )
        load_demo(stdout=self.stdout)
        for label, loader in app_demo_loaders():
            self.stdout.write(f"Demo data: {label}")
            with transaction.atomic():
                loader(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
