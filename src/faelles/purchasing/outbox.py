"""The outbox's transport: how a stored outgoing document leaves.

A transport has one method, ``send(document) -> str`` (where it went). The embedded default
is a file drop: every document is written to ``<outbox>/<institution short name>/<id>.xml``,
where ``<outbox>`` is the ``FAELLES_OUTBOX`` setting or environment variable, or ``var/outbox``.
A Peppol access point plugs in by naming its class in the ``FAELLES_OUTBOX_TRANSPORT`` setting
(a dotted path); it receives the same stored documents.

Documents are sent after the transaction that stored them commits (``outbox_dispatch``), so
a rolled-back approval never reaches a supplier; a failed send keeps the error on the row and
is sent again by ``faelles purchasing send-waiting``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from faelles.purchasing.models import OutgoingDocument

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class Transport(Protocol):
    def send(self, document: OutgoingDocument) -> str:
        """Deliver the document; answer where it went. Raise on failure."""


def outbox_dir() -> Path:
    configured = getattr(settings, "FAELLES_OUTBOX", None) or os.environ.get("FAELLES_OUTBOX")
    if configured:
        return Path(configured)
    return Path(settings.VAR_DIR) / "outbox"


def safe_name(value: str) -> str:
    """A file-name-safe form of an id (no path separators, no leading dots)."""
    return _UNSAFE.sub("_", value).lstrip(".") or "_"


class FileDrop:
    """Writes each document to ``<outbox>/<institution>/<id>.xml`` (atomically: a temporary
    file renamed into place, so a reader never sees half a document)."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root

    def send(self, document: OutgoingDocument) -> str:
        root = self.root or outbox_dir()
        folder = root / safe_name(document.institution.short_name)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{safe_name(document.document_id)}.xml"
        temporary = target.with_suffix(".xml.part")
        temporary.write_bytes(bytes(document.content))
        temporary.replace(target)
        return str(target)


def transport() -> Transport:
    name = getattr(settings, "FAELLES_OUTBOX_TRANSPORT", "")
    if name:
        chosen: Transport = import_string(name)()
        return chosen
    return FileDrop()


def outbox_send(document_ids: list[int]) -> None:
    """Send the stored documents that have not left yet (idempotent: a sent one is skipped)."""
    sender = transport()
    for document in OutgoingDocument.objects.filter(
        pk__in=document_ids, sent_at__isnull=True
    ).select_related("institution"):
        try:
            destination = sender.send(document)
        except Exception as exc:
            OutgoingDocument.objects.filter(pk=document.pk).update(error=str(exc)[:2000])
            continue
        OutgoingDocument.objects.filter(pk=document.pk).update(
            sent_at=timezone.now(), destination=destination, error=""
        )


def outbox_dispatch(document_ids: list[int]) -> None:
    """Send the documents once the current transaction commits."""
    if document_ids:
        transaction.on_commit(lambda: outbox_send(list(document_ids)))


def outbox_send_waiting() -> int:
    """Send every document that has not left (after a failure or a crash)."""
    ids = list(OutgoingDocument.objects.filter(sent_at__isnull=True).values_list("pk", flat=True))
    outbox_send(ids)
    return len(ids)
