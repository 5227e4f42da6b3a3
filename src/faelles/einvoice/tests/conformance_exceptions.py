"""Conformance cases where we knowingly differ from the official suite, each with the reason.

Keys are case ids as ``<folder>/<file stem>#<test index>``; one dict per rule-set module.
"""

from faelles.einvoice.tests.exceptions_cen import CEN_EXCEPTIONS
from faelles.einvoice.tests.exceptions_peppol import PEPPOL_EXCEPTIONS

EXCEPTIONS: dict[str, str] = {**CEN_EXCEPTIONS, **PEPPOL_EXCEPTIONS}
