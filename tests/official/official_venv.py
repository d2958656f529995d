"""An isolated venv holding the official RecallrAI SDK 0.6.6, built once and cached.

The official package is also called ``recallrai``, so it cannot share an interpreter with
ours: importing it under another name would still leave its internal absolute imports
(``from recallrai.models import ...``) pointing at whichever ``recallrai`` comes first on
``sys.path``. A venv of its own, driven through a subprocess, keeps the two apart for
certain and runs the official SDK exactly as its users run it (its own pinned pydantic and
httpx, not ours).

The venv lives in ``<repo>/.cache/official-recallrai-0.6.6`` (or ``$RECALLRAI_OFFICIAL_VENV``)
and is reused while it holds 0.6.6. It is built by ``pip install recallrai==0.6.6`` under a
file lock, so concurrent test runs build it once. If PyPI cannot be reached, the tests that
need it are skipped with the reason, unless ``RECALLRAI_REQUIRE_OFFICIAL_SDK=1`` (set by
``.ci/run``), which makes that a failure: CI must run them.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import venv
from functools import cache
from pathlib import Path

import pytest

VERSION = "0.6.6"
ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
DEFAULT_DIR = ROOT / ".cache" / f"official-recallrai-{VERSION}"
_NETWORK_SIGNS = (
    "Max retries exceeded",
    "NewConnectionError",
    "Temporary failure in name resolution",
    "Name or service not known",
    "Network is unreachable",
    "Connection refused",
    "ConnectTimeout",
    "ReadTimeout",
    "No matching distribution found for recallrai==",
    "Could not find a version that satisfies the requirement recallrai==",
)


def _python(home: Path) -> Path:
    return home / "bin" / "python"


def _installed_version(home: Path) -> str | None:
    """The version of the official SDK in the venv at ``home``, if it is one."""
    if not _python(home).exists():
        return None
    probe = "import json, recallrai; print(json.dumps([recallrai.__version__, recallrai.__file__]))"
    result = subprocess.run(
        [str(_python(home)), "-I", "-c", probe], capture_output=True, text=True, cwd=HERE
    )
    if result.returncode != 0:
        return None
    version, location = json.loads(result.stdout)
    # Make sure it is the official package inside that venv, not ours leaking in.
    return version if Path(location).resolve().is_relative_to(home.resolve()) else None


def _build(home: Path) -> None:
    venv.EnvBuilder(with_pip=True, clear=True).create(home)
    result = subprocess.run(
        [
            str(_python(home)),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            f"recallrai=={VERSION}",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode == 0:
        return
    output = (result.stdout + result.stderr).strip()
    unreachable = any(sign in output for sign in _NETWORK_SIGNS)
    if unreachable and os.environ.get("RECALLRAI_REQUIRE_OFFICIAL_SDK") != "1":
        pytest.skip(
            f"PyPI unreachable, cannot install the official recallrai=={VERSION}: "
            f"{output.splitlines()[-1]}"
        )
    pytest.fail(f"pip install recallrai=={VERSION} failed:\n{output}", pytrace=False)


@cache
def official_python() -> Path:
    """The interpreter of a venv with the official ``recallrai==0.6.6`` (built if needed)."""
    home = Path(os.environ.get("RECALLRAI_OFFICIAL_VENV", DEFAULT_DIR))
    home.parent.mkdir(parents=True, exist_ok=True)
    with open(home.parent / f"{home.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _installed_version(home) != VERSION:
            _build(home)
            found = _installed_version(home)
            if found != VERSION:
                pytest.fail(f"the venv at {home} holds recallrai {found}, not {VERSION}")
    return _python(home)


def run_official(
    script: str, *args: str, stdin: str | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run ``tests/official/<script>`` with the official SDK's interpreter, isolated (-I).

    ``-I`` keeps ``PYTHONPATH``, the user site and the script's directory off ``sys.path``,
    so ``import recallrai`` can only find the official package.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    return subprocess.run(
        [str(official_python()), "-I", str(HERE / script), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=HERE.parent,
        env=env,
    )


__all__ = ["VERSION", "official_python", "run_official"]
