"""The memory inspector: a local page showing what RecallrAI remembers, and why it recalled it.

    recallrai ui                  # with the cli extra
    python -m recallrai.ui        # a client from the RECALLRAI_* environment variables

From Python::

    from recallrai import RecallrAI
    from recallrai.ui import InspectorServer, run

    run(RecallrAI())                                   # blocks; prints the URL, opens a browser
    with InspectorServer(RecallrAI()) as server:       # non-blocking, for tests
        print(server.url)

The page talks to a small proxy in this process; the API key never reaches the browser.
"""

from __future__ import annotations

from ._server import InspectorServer, run

__all__ = ["InspectorServer", "run"]
