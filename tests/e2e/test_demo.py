"""The README's main command: the demo runs the whole memory flow and exits 0."""

from __future__ import annotations

import subprocess
import sys


def test_demo_runs_the_memory_flow_end_to_end() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "recallrai.local.demo"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "User lives in Berlin (v1/1)" in out
    assert "proposed: User lives in Paris" in out
    assert "resolved: RESOLVED" in out
    assert "User lives in Paris (v2/2)" in out
    assert out.rstrip().endswith("what is true now.")
