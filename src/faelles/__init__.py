"""Fælles: the platform a public shared-service operator runs for many institutions."""

__version__ = "0.1.0"
