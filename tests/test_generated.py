"""generated/ must be exactly what scripts/generate makes from the spec today."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated" / "recallrai_api"


def _tree(top: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(top)): path.read_bytes()
        for path in sorted(top.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_generated_client_matches_the_spec(tmp_path: Path) -> None:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run(
        ["bash", str(ROOT / "scripts" / "generate"), str(tmp_path)],
        check=True,
        env=env,
        capture_output=True,
    )
    fresh, committed = _tree(tmp_path / "recallrai_api"), _tree(GENERATED)
    stale = sorted(
        name for name in fresh.keys() | committed.keys() if fresh.get(name) != committed.get(name)
    )
    assert not stale, (
        "generated/recallrai_api is stale or was edited by hand "
        f"({len(stale)} files differ, e.g. {stale[:5]}): run scripts/generate and commit the result"
    )


def _generate(out: Path, spec: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    if spec is not None:
        env["RECALLRAI_SPEC"] = str(spec)
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / "generate"), str(out)],
        env=env,
        capture_output=True,
        text=True,
    )


def test_a_failed_generation_leaves_the_previous_package_untouched(tmp_path: Path) -> None:
    previous = tmp_path / "recallrai_api"
    previous.mkdir()
    (previous / "marker.py").write_text("kept = True\n")
    broken = tmp_path / "broken.yaml"
    broken.write_text((ROOT / "openapi" / "recallrai.yaml").read_text() + "\n  oops: [\n")
    result = _generate(tmp_path, broken)
    assert result.returncode != 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.yaml", "recallrai_api"]
    assert [p.name for p in previous.iterdir()] == ["marker.py"]


def test_a_generation_replaces_the_previous_package_whole(tmp_path: Path) -> None:
    stale = tmp_path / "recallrai_api" / "stale_module.py"
    stale.parent.mkdir()
    stale.write_text("")
    result = _generate(tmp_path)
    assert result.returncode == 0, result.stderr
    assert not stale.exists()
    assert _tree(tmp_path / "recallrai_api") == _tree(GENERATED)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["recallrai_api"]


def test_derived_sync_code_is_current() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "unasync"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


# The seam: recallrai/ uses the generated package through public, typed names only ---------


def private_uses(source: str) -> list[str]:
    """What ``source`` reaches of ``recallrai_api`` other than by public imported names.

    Flags: a module path or imported name starting with ``_``, an attribute starting
    with ``_`` read from something imported from ``recallrai_api``, and any string that
    names ``recallrai_api`` (an ``importlib`` lookup mypy cannot check).
    """
    found: list[str] = []
    bound: set[str] = set()
    tree = ast.parse(source)
    prose = {  # docstrings and other bare string statements may mention the package
        id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("recallrai_api"):
            module = node.module or ""
            for part in module.split("."):
                if part.startswith("_"):
                    found.append(f"line {node.lineno}: module {module}")
            for alias in node.names:
                if alias.name.startswith("_"):
                    found.append(f"line {node.lineno}: {module}.{alias.name}")
                bound.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("recallrai_api"):
                    if any(part.startswith("_") for part in alias.name.split(".")):
                        found.append(f"line {node.lineno}: module {alias.name}")
                    bound.add((alias.asname or alias.name).split(".")[0])
        elif (
            isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in prose
        ) and "recallrai_api" in node.value:
            found.append(f"line {node.lineno}: string {node.value!r}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            base = node.value
            while isinstance(base, ast.Attribute):
                base = base.value
            if isinstance(base, ast.Name) and base.id in bound:
                found.append(f"line {node.lineno}: {base.id}...{node.attr}")
    return found


@pytest.mark.parametrize(
    "source",
    [
        "from recallrai_api.api.users import get_user\nget_user._get_kwargs('u')",
        "import recallrai_api.api.users.get_user as e\ne._parse_response",
        "from recallrai_api.api.users.get_user import _get_kwargs",
        "from recallrai_api._private import thing",
        "import importlib\nimportlib.import_module('recallrai_api.api.users.get_user')",
        "import importlib\nimportlib.import_module(f'recallrai_api.api.{name}')",
    ],
)
def test_the_seam_check_flags_private_and_string_lookups(source: str) -> None:
    assert private_uses(source)


def test_recallrai_uses_only_public_typed_names_of_the_generated_client() -> None:
    offenders = {
        str(path.relative_to(ROOT)): uses
        for path in sorted((ROOT / "recallrai").rglob("*.py"))
        if (uses := private_uses(path.read_text(encoding="utf-8")))
    }
    assert not offenders, offenders


def test_every_endpoint_has_a_public_request_builder() -> None:
    for path in sorted((GENERATED / "api").glob("*/*.py")):
        if path.name == "__init__.py":
            continue
        functions = {
            node.name
            for node in ast.parse(path.read_text(encoding="utf-8")).body
            if isinstance(node, ast.FunctionDef)
        }
        assert "request_kwargs" in functions, path
        assert "_get_kwargs" not in functions, path


def test_the_reshaped_generated_client_still_works_on_its_own() -> None:
    """The templates change imports and names, not behaviour: the generated client's
    own ``sync``/``sync_detailed`` calls, attrs models and lazy package names work
    against a real loopback server."""
    from recallrai_api import Client
    from recallrai_api.api.users import create_user, get_user
    from recallrai_api.models import CreateUserRequest, ErrorDetail, Metadata, User

    from recallrai.local.testing import local_http_server

    with local_http_server() as server:
        client = Client(
            base_url=server.url,
            headers={"X-Recallr-Api-Key": "rai_generated", "X-Recallr-Project-Id": "p"},
        )
        body = CreateUserRequest(custom_user_id="gen-1", metadata=Metadata.from_dict({"a": 1}))
        created = create_user.sync(client=client, body=body)
        assert isinstance(created, User) and created.custom_user_id == "gen-1"
        fetched = get_user.sync_detailed("gen-1", client=client)
        assert fetched.status_code == 200
        assert isinstance(fetched.parsed, User) and fetched.parsed.metadata.to_dict() == {"a": 1}
        missing = get_user.sync("nobody", client=client)
        assert isinstance(missing, ErrorDetail)
