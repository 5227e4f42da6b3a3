"""Known disagreements with the cen conformance cases, each with its reason."""

CEN_EXCEPTIONS: dict[str, str] = {}
