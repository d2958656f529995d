"""Show how many schemathesis cases ran in pytest's terminal summary."""

from __future__ import annotations

import pytest


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for report in terminalreporter.stats.get("passed", []):
        for name, value in getattr(report, "user_properties", ()):
            if name == "contract_cases":
                terminalreporter.write_line(f"schemathesis contract: {value}")
