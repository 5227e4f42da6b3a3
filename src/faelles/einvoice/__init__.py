"""Read, validate and answer e-invoices: OIOUBL 2.1 and Peppol BIS 3 into the EN 16931 model.

A pure library: it imports nothing from Django or the rest of Fælles. The names below are the
public interface; ``docs/design/einvoice.md`` describes the design.
"""

from faelles.einvoice.findings import Finding, findings_to_json
from faelles.einvoice.model import Document
from faelles.einvoice.profiles import Profile, detect
from faelles.einvoice.reader import read
from faelles.einvoice.response import respond
from faelles.einvoice.validate import ValidationResult, read_and_validate, validate_bytes
from faelles.einvoice.writer import to_ubl
from faelles.einvoice.xml import ReadError

__all__ = [
    "Document",
    "Finding",
    "Profile",
    "ReadError",
    "ValidationResult",
    "detect",
    "findings_to_json",
    "read",
    "read_and_validate",
    "respond",
    "to_ubl",
    "validate_bytes",
]
