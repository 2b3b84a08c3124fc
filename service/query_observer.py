"""Where each query's duration goes: the metrics of the app serving the current request.

The query functions are loaded once per process (`service.db.QUERIES`) and
shared by every app in it; the tests run several apps at once. So the query
layer does not hold a registry: each app's request middleware installs its
own observer in a context variable for the request's duration, and the
query layer reports to whichever observer is current. Queries run outside a
request (CLI commands, start-up) go unobserved.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["QueryObserver", "observing", "timed"]

QueryObserver = Callable[[str, float, bool], None]
"""Called with the query's `<file>.<query>` name, its seconds, and whether it raised."""

_current: ContextVar[QueryObserver | None] = ContextVar("atelier_query_observer", default=None)


@contextmanager
def observing(observer: QueryObserver) -> Iterator[None]:
    """Report the queries run inside this block to `observer`."""
    token = _current.set(observer)
    try:
        yield
    finally:
        _current.reset(token)


@contextmanager
def timed(query: str) -> Iterator[None]:
    """Time one query call and report it, if anyone listens."""
    observer = _current.get()
    if observer is None:
        yield
        return
    started = time.perf_counter()
    failed = True
    try:
        yield
        failed = False
    finally:
        observer(query, time.perf_counter() - started, failed)
