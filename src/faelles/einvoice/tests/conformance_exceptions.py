"""Conformance cases where we knowingly differ from the official suite, each with the reason.

Keys are case ids as ``<folder>/<file stem>#<test index>``; one dict per rule-set module
(``exceptions_cen.py``, ``exceptions_peppol.py`` and, when there is one, ``exceptions_oioubl.py``).
"""

from __future__ import annotations

import importlib

from faelles.einvoice.tests.exceptions_cen import CEN_EXCEPTIONS
from faelles.einvoice.tests.exceptions_peppol import PEPPOL_EXCEPTIONS


def _optional(module: str, name: str) -> dict[str, str]:
    try:
        found: dict[str, str] = getattr(importlib.import_module(module), name)
    except ModuleNotFoundError:
        return {}
    return found


OIOUBL_EXCEPTIONS = _optional("faelles.einvoice.tests.exceptions_oioubl", "OIOUBL_EXCEPTIONS")

EXCEPTIONS: dict[str, str] = {**CEN_EXCEPTIONS, **PEPPOL_EXCEPTIONS, **OIOUBL_EXCEPTIONS}
