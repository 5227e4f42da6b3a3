"""Test helpers for the metrics and the structured logs: scrape ``/metrics`` as Prometheus
does, and capture log lines as the production JSON formatter writes them."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from prometheus_client.parser import text_string_to_metric_families

from faelles.core import logs
from faelles.redact import CprRedactingFilter

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(client: Any, **extra: Any) -> Samples:
    """Every sample of ``GET /metrics`` (from loopback), by name and labels."""
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1", **extra)
    assert response.status_code == 200, response.content
    samples: Samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return samples


def value(samples: Samples, name: str, **labels: str) -> float:
    """One sample's value; 0 when it is absent (a counter never incremented)."""
    return samples.get((name, frozenset(labels.items())), 0.0)


def total(samples: Samples, name: str, **labels: str) -> float:
    """The sum of the samples of ``name`` whose labels include ``labels``."""
    wanted = set(labels.items())
    return sum(v for (n, ls), v in samples.items() if n == name and wanted <= ls)


class Captured:
    def __init__(self) -> None:
        self.stream = io.StringIO()

    def text(self) -> str:
        return self.stream.getvalue()

    def lines(self, **match: Any) -> list[dict[str, Any]]:
        """The parsed lines whose fields include ``match``."""
        parsed = [json.loads(line) for line in self.text().splitlines() if line]
        return [p for p in parsed if all(p.get(k) == v for k, v in match.items())]


@contextmanager
def json_log() -> Iterator[Captured]:
    """Log lines as the production handler writes them (the JSON formatter behind the CPR
    filter)."""
    config = logs.formatter("json")
    factory = config.pop("()")
    captured = Captured()
    handler = logging.StreamHandler(captured.stream)
    handler.setFormatter(factory(**config))
    handler.addFilter(CprRedactingFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield captured
    finally:
        root.removeHandler(handler)
