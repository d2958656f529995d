"""A local RecallrAI server: the same API, offline, in-process or on loopback.

Everything here is imported lazily, so `import recallrai.local` stays cheap.

- `LocalApp`: the framework-free server core (`request -> response` over SQLite).
- `LocalTransport`: an httpx transport (sync and async) serving a `LocalApp` in-process.
- `LocalServer`: a real HTTP/1.1 server on loopback (`python -m recallrai.local serve`).
- `FaultPlan`: test controls (injected failures, drops, latency, request counters).
- `ManualClock`: a clock that moves only when told to.
- `local_client`, `async_local_client`, `local_http_server`: helpers for your tests.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._app import LocalApp
    from ._clock import Clock, ManualClock
    from ._faults import FaultPlan
    from ._http import LocalServer
    from ._transport import LocalTransport
    from .testing import LocalEnv, async_local_client, local_client, local_http_server

__all__ = [
    "Clock",
    "FaultPlan",
    "LocalApp",
    "LocalEnv",
    "LocalServer",
    "LocalTransport",
    "ManualClock",
    "async_local_client",
    "local_client",
    "local_http_server",
]

_HOMES = {
    "LocalApp": "._app",
    "Clock": "._clock",
    "ManualClock": "._clock",
    "FaultPlan": "._faults",
    "LocalServer": "._http",
    "LocalTransport": "._transport",
    "LocalEnv": ".testing",
    "async_local_client": ".testing",
    "local_client": ".testing",
    "local_http_server": ".testing",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
