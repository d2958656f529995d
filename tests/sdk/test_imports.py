"""``import recallrai`` pays only for what is used: each check runs in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

# Heavy pieces that must load only when something needs them.
GENERATED = "recallrai_api"
ASYNC = "recallrai._async"
SYNC = "recallrai._sync"
LOCAL = "recallrai.local"


def loaded_after(code: str) -> set[str]:
    """The modules loaded by a fresh interpreter once ``code`` has run."""
    script = textwrap.dedent(code) + "\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))\n"
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env={"PYTHONDONTWRITEBYTECODE": "1", "PATH": ""},
    ).stdout
    lines: list[str] = json.loads(out.strip().splitlines()[-1])
    return set(lines)


def has(modules: set[str], package: str) -> bool:
    return any(m == package or m.startswith(package + ".") for m in modules)


def test_import_recallrai_loads_almost_nothing() -> None:
    modules = loaded_after("import recallrai")
    for package in (GENERATED, ASYNC, SYNC, LOCAL, "httpx", "anyio", "asyncio", "attrs"):
        assert not has(modules, package), package
    ours = {m for m in modules if has({m}, "recallrai")}
    assert ours == {"recallrai", "recallrai._version"}


def test_version_needs_no_client() -> None:
    modules = loaded_after("import recallrai; assert recallrai.__version__")
    assert not has(modules, "httpx")


def test_sync_client_loads_no_async_machinery_no_local_server() -> None:
    modules = loaded_after("from recallrai import RecallrAI")
    assert has(modules, SYNC)
    for package in (GENERATED, ASYNC, LOCAL, "anyio", "asyncio", "sqlite3"):
        assert not has(modules, package), package


def test_async_client_loads_no_sync_twin_no_local_server() -> None:
    modules = loaded_after("from recallrai import AsyncRecallrAI")
    assert has(modules, ASYNC)
    for package in (GENERATED, SYNC, LOCAL, "sqlite3"):
        assert not has(modules, package), package


def test_exceptions_and_models_stand_alone() -> None:
    modules = loaded_after("import recallrai.exceptions, recallrai.models")
    for package in (GENERATED, ASYNC, SYNC, LOCAL, "httpx", "anyio"):
        assert not has(modules, package), package


def test_local_package_is_lazy() -> None:
    modules = loaded_after("import recallrai.local")
    for package in (GENERATED, ASYNC, SYNC, "httpx", "sqlite3"):
        assert not has(modules, package), package


def test_a_call_loads_only_its_endpoint() -> None:
    modules = loaded_after(
        """
        import httpx
        from recallrai import RecallrAI

        def answer(request):
            return httpx.Response(200, json={"custom_user_id": "u1"})

        http = httpx.Client(transport=httpx.MockTransport(answer))
        client = RecallrAI("rai_x", "p", "http://api.test", http_client=http)
        client.get_user("u1")
        """
    )
    assert "recallrai_api.api.users.get_user" in modules
    endpoints = {m for m in modules if m.startswith("recallrai_api.api.") and m.count(".") == 3}
    assert endpoints == {"recallrai_api.api.users.get_user"}
    for package in (ASYNC, LOCAL, "anyio", "asyncio"):
        assert not has(modules, package), package
    # Building a request needs no model, no generated client and no attrs.
    for package in ("recallrai_api.models", "recallrai_api.client", "attrs", "attr"):
        assert not has(modules - {"recallrai_api.models"}, package), package


def test_a_call_with_a_body_loads_only_the_models_it_sends() -> None:
    modules = loaded_after(
        """
        import httpx
        from recallrai import RecallrAI

        def answer(request):
            return httpx.Response(201, json={"custom_user_id": "u1"})

        http = httpx.Client(transport=httpx.MockTransport(answer))
        client = RecallrAI("rai_x", "p", "http://api.test", http_client=http)
        client.create_user("u1", metadata={"plan": "pro"})
        """
    )
    models = {m for m in modules if m.startswith("recallrai_api.models.")}
    assert models == {
        "recallrai_api.models.create_user_request",
        "recallrai_api.models.metadata",
    }
    assert not has(modules, "recallrai_api.client")


@pytest.mark.parametrize("name", ["RecallrAI", "AsyncRecallrAI", "__version__"])
def test_lazy_names_resolve(name: str) -> None:
    import recallrai

    assert getattr(recallrai, name) is not None
    assert name in dir(recallrai)
