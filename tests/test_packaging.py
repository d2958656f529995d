"""The wheel holds both packages and installs into a fresh venv with runtime deps only."""

from __future__ import annotations

import ast
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        check=True,
    )
    (found,) = out.glob("recallrai-*.whl")
    return found


def test_wheel_contains_sdk_generated_client_and_type_markers(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "recallrai/__init__.py",
        "recallrai/py.typed",
        "recallrai/_sync/client.py",
        "recallrai/local/__init__.py",
        "recallrai_api/__init__.py",
        "recallrai_api/py.typed",
        "recallrai_api/api/users/get_user.py",
    ):
        assert required in names, f"{required} missing from {wheel.name}"
    assert not any(name.startswith(("tests/", "generated/", "scripts/")) for name in names)


def test_wheel_installs_and_imports_with_runtime_deps_only(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)],
        check=True,
    )
    script = (
        "import recallrai, recallrai_api.api.users.get_user, importlib.metadata as m;"
        "from recallrai import RecallrAI, AsyncRecallrAI;"
        "from recallrai.exceptions import UserNotFoundError;"
        "import recallrai.local;"
        "print(recallrai.__version__, sorted(m.requires('recallrai') or []))"
    )
    result = subprocess.run(
        [str(python), "-c", script], check=True, capture_output=True, text=True, cwd=tmp_path
    )
    version, _, requires = result.stdout.partition(" ")
    assert version == __import__("recallrai").__version__
    runtime = [r for r in ast.literal_eval(requires) if "extra ==" not in r]
    # Exactly the third-party packages the runtime code imports (anyio directly, too).
    names = sorted(r.split(">")[0].split("<")[0] for r in runtime)
    assert names == ["anyio", "attrs", "h11", "httpx"]


def test_declared_runtime_dependencies_cover_every_third_party_import() -> None:
    """Every top-level package that recallrai/ imports is stdlib, ours, or declared."""
    import tomllib

    declared = {
        dep.split(">")[0].split("<")[0].split("=")[0].strip().replace("-", "_")
        for dep in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    }
    ours = {"recallrai", "recallrai_api"}
    imported: dict[str, str] = {}
    for path in sorted((ROOT / "recallrai").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                imported.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    # pytest: only recallrai/local/pytest_plugin.py, which pytest itself loads; the
    # command line's packages come with its extra (recallrai[cli]).
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    optional = {"pytest"} | {
        dep.split(">")[0].split("<")[0].split("=")[0].strip() for dep in extras["cli"]
    }
    undeclared = {
        top: where
        for top, where in imported.items()
        if top not in sys.stdlib_module_names | declared | ours | optional
    }
    assert not undeclared, f"imported but not declared in [project] dependencies: {undeclared}"
