"""generated/ must be exactly what scripts/generate makes from the spec today."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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


def test_derived_sync_code_is_current() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "unasync"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
