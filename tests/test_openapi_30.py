"""openapi/recallrai.openapi-3.0.yaml must be exactly what scripts/openapi-3.0 derives today."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from openapi_spec_validator import validate

ROOT = Path(__file__).resolve().parent.parent
CONVERTER = ROOT / "scripts" / "openapi-3.0"
SOURCE = ROOT / "openapi" / "recallrai.yaml"
VARIANT = ROOT / "openapi" / "recallrai.openapi-3.0.yaml"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(CONVERTER), *args], capture_output=True, text=True, check=False
    )


def test_the_30_variant_is_current(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.yaml"
    result = _run(str(fresh))
    assert result.returncode == 0, result.stderr
    assert fresh.read_text(encoding="utf-8") == VARIANT.read_text(encoding="utf-8"), (
        "openapi/recallrai.openapi-3.0.yaml is stale or was edited by hand: "
        "run `python scripts/openapi-3.0` and commit the result"
    )


def test_the_30_variant_is_valid_openapi_30() -> None:
    spec = yaml.safe_load(VARIANT.read_text(encoding="utf-8"))
    assert spec["openapi"] == "3.0.3"
    validate(spec)


def _walk(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        found.append(node)
        for value in node.values():
            found += _walk(value)
    elif isinstance(node, list):
        for value in node:
            found += _walk(value)
    return found


def test_the_30_variant_keeps_every_operation_and_schema() -> None:
    source = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    variant = yaml.safe_load(VARIANT.read_text(encoding="utf-8"))
    assert variant["paths"].keys() == source["paths"].keys()
    assert variant["components"]["schemas"].keys() == source["components"]["schemas"].keys()
    nodes = _walk(variant)
    assert not [n for n in nodes if isinstance(n.get("type"), list) or n.get("type") == "null"]
    assert not [n for n in nodes if "const" in n or ("$ref" in n and len(n) > 1)]
    # a 3.1 nullable becomes a 3.0 `nullable` beside a `type`
    memory = variant["components"]["schemas"]["Memory"]["properties"]
    assert memory["expired_at"]["type"] == "string" and memory["expired_at"]["nullable"] is True


def test_the_converter_refuses_what_30_cannot_say(tmp_path: Path) -> None:
    spec = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    spec["components"]["schemas"]["Pair"] = {"type": "array", "prefixItems": [{"type": "string"}]}
    source = tmp_path / "recallrai.yaml"
    source.write_text(yaml.safe_dump(spec), encoding="utf-8")
    result = _run("--source", str(source), str(tmp_path / "out.yaml"))
    assert result.returncode == 1
    assert "/components/schemas/Pair: no OpenAPI 3.0 form for ['prefixItems']" in result.stderr
    assert not (tmp_path / "out.yaml").exists()
