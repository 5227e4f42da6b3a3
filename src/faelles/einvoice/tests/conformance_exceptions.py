"""Conformance cases where we knowingly differ from the official suite, each with the reason.

Keys are case ids as ``<folder>/<file stem>#<test index>``.
"""

EXCEPTIONS: dict[str, str] = {}
