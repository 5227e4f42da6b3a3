"""Known disagreements with the peppol conformance cases, each with its reason."""

PEPPOL_EXCEPTIONS: dict[str, str] = {}
