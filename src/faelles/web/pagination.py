"""API pagination.

``Pagination`` (the default): limit/offset, with both bounded so that no request can ask the
database for an offset or page size it cannot represent. It counts every matching row for
``count``, which is fine for the small lists of set-up data.

``KeysetPagination``: for the big lists (the invoices): no count and no offset. A page is the
next ``limit`` rows after the last row of the previous page in the list's order (a keyset, or
cursor), so page 1,000 costs what page 1 costs: one index range scan of ``limit + 1`` rows.
The response is ``{"next": url or null, "results": [...]}``; ``next`` carries an opaque
``cursor`` (the last row's ordering values) and the same filters.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime
from rest_framework.exceptions import NotFound
from rest_framework.pagination import BasePagination, LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

MAX_OFFSET = 2**31


class Pagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 500

    def get_offset(self, request: Request) -> int:
        return min(super().get_offset(request), MAX_OFFSET)


class KeysetPagination(BasePagination):
    """Pages of ``limit`` rows in the order ``ordering`` (field names, ``-`` for descending,
    the last one unique: the primary key), continued from ``cursor``."""

    ordering: Sequence[str] = ("-received_at", "-pk")
    default_limit = 50
    max_limit = 500
    limit_query_param = "limit"
    cursor_query_param = "cursor"

    def __init__(self) -> None:
        self.next_url: str | None = None

    def paginate_queryset(
        self, queryset: QuerySet[Any], request: Request, view: Any = None
    ) -> list[Any]:
        limit = self._limit(request)
        queryset = queryset.order_by(*self.ordering)
        after = self._decode(request.query_params.get(self.cursor_query_param))
        if after is not None:
            queryset = queryset.filter(self._after(after))
        rows = list(queryset[: limit + 1])
        self.next_url = None
        if len(rows) > limit:
            rows = rows[:limit]
            url = remove_query_param(request.build_absolute_uri(), self.cursor_query_param)
            self.next_url = replace_query_param(
                url, self.cursor_query_param, self._encode(rows[-1])
            )
        return rows

    def get_paginated_response(self, data: Any) -> Response:
        return Response({"next": self.next_url, "results": data})

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Where the page starts: the `next` link of the previous page.",
                "schema": {"type": "string"},
            },
            {
                "name": self.limit_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page (at most {self.max_limit}).",
                "schema": {"type": "integer"},
            },
        ]

    def _limit(self, request: Request) -> int:
        try:
            limit = int(request.query_params.get(self.limit_query_param, self.default_limit))
        except ValueError:
            return self.default_limit
        return max(1, min(limit, self.max_limit))

    def _fields(self) -> list[tuple[str, bool]]:
        return [(f.lstrip("-"), f.startswith("-")) for f in self.ordering]

    def _encode(self, row: Any) -> str:
        values = []
        for name, _desc in self._fields():
            value = getattr(row, name)
            values.append(value.isoformat() if isinstance(value, dt.datetime) else value)
        return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")

    def _decode(self, cursor: str | None) -> list[Any] | None:
        if not cursor:
            return None
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            values = json.loads(raw)
        except (binascii.Error, ValueError, UnicodeDecodeError):
            raise NotFound("Invalid cursor.") from None
        if not isinstance(values, list) or len(values) != len(self.ordering):
            raise NotFound("Invalid cursor.")
        for n, value in enumerate(values):
            if isinstance(value, str):
                parsed = parse_datetime(value)
                if parsed is None:
                    raise NotFound("Invalid cursor.")
                values[n] = parsed
            elif not isinstance(value, int) or isinstance(value, bool):
                raise NotFound("Invalid cursor.")
        return values

    def _after(self, values: list[Any]) -> Q:
        """The rows after ``values`` in the order: ``(a, b) < (x, y)`` for a descending order
        written as ``a <= x AND (a < x OR b < y)``, so the first column bounds the index range
        scan."""
        fields = self._fields()
        condition = Q()
        for n in range(len(fields) - 1, -1, -1):
            name, desc = fields[n]
            beyond = Q(**{f"{name}__{'lt' if desc else 'gt'}": values[n]})
            condition = (
                beyond if n == len(fields) - 1 else beyond | (Q(**{name: values[n]}) & condition)
            )
        first, desc = fields[0]
        return Q(**{f"{first}__{'lte' if desc else 'gte'}": values[0]}) & condition
