"""recallrai/contract.json is what scripts/derive makes from the spec, and says what it says."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from recallrai import contract

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi" / "recallrai.yaml"
TABLE = ROOT / "recallrai" / "contract.json"


def _derive(target: Path, spec: Path = SPEC) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "derive"), str(target)],
        capture_output=True,
        text=True,
        env={"RECALLRAI_SPEC": str(spec), "PATH": ""},
        check=False,
    )


def test_the_table_is_current(tmp_path: Path) -> None:
    fresh = tmp_path / "contract.json"
    result = _derive(fresh)
    assert result.returncode == 0, result.stderr
    assert fresh.read_bytes() == TABLE.read_bytes(), (
        "recallrai/contract.json is stale or was edited by hand: run ./scripts/generate"
    )


def _spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    return loaded


def _operations(spec: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {
        node["operationId"]: (method.upper(), path)
        for path, item in spec["paths"].items()
        for method, node in item.items()
        if isinstance(node, dict) and "operationId" in node
    }


def test_every_operation_of_the_spec_is_in_the_table() -> None:
    expected = _operations(_spec())
    assert {op.operation_id: (op.method, op.path) for op in contract.OPERATIONS.values()} == (
        expected
    )


def test_refs_and_single_allofs_are_inlined_with_their_names_kept() -> None:
    strategy = contract.operation("getContext").param("recall_strategy")
    assert strategy.enum == contract.ENUMS["RecallStrategy"]
    assert strategy.enum_name == "RecallStrategy"
    assert strategy.default == "balanced"
    statuses = contract.operation("listSessions").param("status_filter")
    assert statuses.type == "array" and statuses.enum_name == "SessionStatus"
    assert "$ref" not in repr(contract.OPERATIONS) and "allOf" not in repr(contract.OPERATIONS)


def test_sdk_names_come_from_x_python_name() -> None:
    assert contract.operation("createUser").param("user_id").name == "custom_user_id"
    assert contract.operation("updateUser").param("new_user_id").name == "new_custom_user_id"
    assert contract.operation("addMessage").param("content").name == "message"
    assert contract.operation("getLastMessages").param("n").name == "limit"


def test_a_parameter_without_a_default_says_so() -> None:
    last = contract.operation("getContext").param("last_n_messages")
    assert not last.has_default and last.default is contract.MISSING and not last.default
    assert (last.minimum, last.maximum) == (1, 100)


def test_an_unknown_name_is_a_key_error_that_helps() -> None:
    with pytest.raises(KeyError, match="getContext"):
        contract.operation("getContxt")
    with pytest.raises(KeyError, match="no parameter 'top_k'"):
        contract.operation("getContext").param("top_k")


def test_a_spec_edit_reaches_the_table(tmp_path: Path) -> None:
    edited = tmp_path / "spec.yaml"
    text = SPEC.read_text(encoding="utf-8")
    assert "enum: [pending, processing, processed, failed, insufficient_balance]" in text
    edited.write_text(
        text.replace(
            "enum: [pending, processing, processed, failed, insufficient_balance]",
            "enum: [pending, processing, processed, failed, insufficient_balance, archived]",
        ),
        encoding="utf-8",
    )
    fresh = tmp_path / "contract.json"
    assert _derive(fresh, edited).returncode == 0
    assert '"archived"' in fresh.read_text(encoding="utf-8")
