"""Structured logs: one JSON object per line in production, readable lines in development.

Every log line, from our own code through structlog (``structlog.get_logger(...)``) or from a
library through the standard library, goes through the handlers of ``settings.LOGGING``, whose
formatter (:func:`formatter`) renders it with the context of the request or task it belongs to
(``request_id``, ``user_id``, ``institution_id``, ``task``, ``task_id``; bound with
:func:`bind` from the request middleware and the Celery signal hooks).

No personal data: the context holds ids only (never a username, a name or an e-mail address),
and every value, key and exception text is passed through the CPR scrubber
(:func:`faelles.redact.scrub_data`) twice: once when the event is made and once more in the
formatter, for the lines of libraries. The handlers' own CPR filter stays on as well.

``LOG_FORMAT`` chooses ``json`` or ``console``; the default is ``json`` in production and
``console`` in development.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from typing import Any

import structlog
from structlog.typing import EventDict, Processor, WrappedLogger

from faelles.redact import scrub_data

__all__ = ["FORMATS", "bind", "configure", "formatter", "scrub_event"]

FORMATS = ("json", "console")


def _plain(value: Any) -> Any:
    """``value`` as JSON-like data: any other object becomes its text (which is then scrubbed,
    rather than rendered unscrubbed later)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    return str(value)


def scrub_event(_logger: WrappedLogger, _method: str, event_dict: EventDict) -> EventDict:
    """A structlog processor: every CPR number in the event (keys, values, nested data and
    rendered exception text) masked."""
    scrubbed: EventDict = scrub_data(_plain(event_dict))
    return scrubbed


def _shared() -> list[Processor]:
    """The processors that every line passes, ours and the standard library's."""
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]


def configure() -> None:
    """Set structlog up to hand its events to the standard library's handlers (and their CPR
    filter), where :func:`formatter` renders them. Called once from the settings."""
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_shared(),
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.processors.format_exc_info,
            scrub_event,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def formatter(log_format: str) -> dict[str, Any]:
    """The ``settings.LOGGING`` formatter entry for ``json`` or ``console``."""
    if log_format not in FORMATS:
        raise ValueError(f"LOG_FORMAT must be one of {', '.join(FORMATS)}, not {log_format!r}")
    renderer: Processor = (
        structlog.processors.JSONRenderer(sort_keys=False, default=str)
        if log_format == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    tail: list[Processor] = [
        structlog.stdlib.ProcessorFormatter.remove_processors_meta,
        # The exception as text inside the event, so that it is scrubbed with the rest.
        structlog.processors.format_exc_info,
        scrub_event,
        renderer,
    ]
    return {
        "()": structlog.stdlib.ProcessorFormatter,
        "processors": tail,
        "foreign_pre_chain": _shared(),
    }


@contextmanager
def bind(**values: Any) -> Iterator[None]:
    """Bind ``values`` (``None`` values are left out) to every log line of the current request
    or task, and unbind them afterwards, restoring what was bound before."""
    tokens: Mapping[str, contextvars.Token[Any]] = structlog.contextvars.bind_contextvars(
        **{k: v for k, v in values.items() if v is not None}
    )
    try:
        yield
    finally:
        structlog.contextvars.reset_contextvars(**tokens)


def context() -> MutableMapping[str, Any]:
    """What is bound for the current request or task (a copy)."""
    return dict(structlog.contextvars.get_contextvars())
