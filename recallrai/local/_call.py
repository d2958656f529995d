"""One routed request as the handlers see it: who asks, for which ids, at what time.

Also the lookups every resource shares (a missing user, session, memory or conflict
is a 404) and the page shape of list answers.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from recallrai.local._clock import format_time
from recallrai.local._store import Row, Store
from recallrai.local._wire import JSON, Body, HTTPError, LocalRequest, LocalResponse, Query

__all__ = ["Call", "Handler", "filter_text", "page"]


@dataclass(frozen=True)
class Call:
    """One request, routed: its project, the ids in its path, the time, the store."""

    request: LocalRequest
    project: str
    ids: list[str]
    now: datetime
    store: Store
    wake: Callable[[], None]
    """Tell the background worker there is processing to do."""

    @property
    def stamp(self) -> str:
        return format_time(self.now)

    def query(self) -> Query:
        return Query(self.request.query)

    def body(self, *, allow_empty: bool = False) -> Body:
        if allow_empty and not self.request.body.strip():
            return Body(b"{}")
        return Body(self.request.body)

    # -- lookups (404 when missing) -------------------------------------------------

    def user(self) -> Row:
        row = self.store.user(self.project, self.ids[0])
        if row is None:
            raise HTTPError(404, f"User {self.ids[0]} not found")
        return row

    def session(self, user: Row) -> Row:
        row = self.store.session(user["pk"], self.ids[1])
        if row is None:
            raise HTTPError(404, f"Session {self.ids[1]} not found")
        return row

    def conflict(self, user: Row) -> Row:
        row = self.store.conflict(user["pk"], self.ids[1])
        if row is None:
            raise HTTPError(404, f"Merge conflict {self.ids[1]} not found")
        return row

    def version(self, user: Row) -> Row:
        row = self.store.version(user["pk"], self.ids[1])
        if row is None:
            raise HTTPError(404, f"Memory {self.ids[1]} not found")
        return row


Handler = Callable[[Call], LocalResponse]


def page(key: str, items: list[JSON], offset: int, total: int) -> JSON:
    """A list answer: ``{key: items, total, has_more}``."""
    return {key: items, "total": total, "has_more": offset + len(items) < total}


def filter_text(value: JSON | None) -> str | None:
    return None if value is None else json.dumps(value)
