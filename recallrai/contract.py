"""The RecallrAI API contract as data: operations, their parameters, enums and limits.

Everything here is derived from the OpenAPI spec (``openapi/recallrai.yaml``) by
``./scripts/generate`` into ``recallrai/contract.json``; nothing is typed twice. The
SDK's input checks, the local server, the CLI's options, the inspector's controls, the
MCP tool schemas and the docs all read their bounds, defaults and choices from here::

    from recallrai.contract import operation

    top_k = operation("getContext").param("min_top_k")
    top_k.minimum, top_k.maximum, top_k.default      # 5, 50, 15

A parameter's ``schema`` is its JSON Schema with every ``$ref`` and single ``allOf``
inlined, so it can be handed to a JSON Schema consumer as it is. Keys starting with
``x-`` are this project's extensions (``x-max-bytes``, ``x-max-depth``,
``x-not-blank``, ``x-python-name``, ``x-schema-name``: the component a part came from).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final, Literal, NamedTuple

__all__ = [
    "ENUMS",
    "MAX_REQUEST_BODY_BYTES",
    "OPERATIONS",
    "Operation",
    "Param",
    "enum_values",
    "operation",
]

Location = Literal["path", "query", "body"]


class _Missing:
    """The ``default`` of a parameter the spec gives no default."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Final = _Missing()


class Param(NamedTuple):
    """One input of an operation: a path or query parameter, or a top-level body field."""

    name: str
    """The name on the wire."""
    location: Location
    schema: Mapping[str, Any]
    required: bool = False
    description: str = ""
    deprecated: bool = False

    @property
    def python_name(self) -> str:
        """The SDK's argument name (``x-python-name``), else the wire name."""
        return str(self.schema.get("x-python-name", self.name))

    @property
    def type(self) -> str:
        """The JSON type, without ``"null"`` (see ``nullable``)."""
        kind = self.schema.get("type", "")
        if isinstance(kind, list):
            kinds = [k for k in kind if k != "null"]
            return str(kinds[0]) if kinds else "null"
        return str(kind)

    @property
    def nullable(self) -> bool:
        kind = self.schema.get("type")
        return isinstance(kind, list) and "null" in kind

    @property
    def default(self) -> Any:
        return self.schema.get("default", MISSING)

    @property
    def has_default(self) -> bool:
        return "default" in self.schema

    @property
    def minimum(self) -> int | float | None:
        return self.schema.get("minimum")

    @property
    def maximum(self) -> int | float | None:
        return self.schema.get("maximum")

    @property
    def min_length(self) -> int | None:
        return self.schema.get("minLength")

    @property
    def max_length(self) -> int | None:
        return self.schema.get("maxLength")

    @property
    def max_items(self) -> int | None:
        return self.schema.get("maxItems")

    @property
    def items(self) -> Mapping[str, Any]:
        """The schema of an array's items (``{}`` for other types)."""
        items = self.schema.get("items")
        return items if isinstance(items, Mapping) else {}

    @property
    def enum(self) -> tuple[str, ...] | None:
        """The allowed values of this parameter, or of its items when it is an array."""
        values = self.schema.get("enum", self.items.get("enum"))
        return None if values is None else tuple(values)

    @property
    def enum_name(self) -> str | None:
        """The spec's name for that enum (``"SessionStatus"``), if it has one."""
        source = self.schema if "enum" in self.schema else self.items
        name = source.get("x-schema-name") if "enum" in source else None
        return None if name is None else str(name)


class Operation(NamedTuple):
    """One API operation: where it is, what it takes, what it answers."""

    operation_id: str
    method: str
    path: str
    tag: str
    summary: str
    params: tuple[Param, ...]
    responses: Mapping[str, str | None]
    """Status code -> component schema name of the JSON answer (``None``: no JSON body)."""
    body: str | None = None
    """The component schema name of the JSON request body, if there is one."""
    streams: bool = False
    """Whether it can answer with a ``text/event-stream``."""

    def param(self, name: str) -> Param:
        """The parameter called ``name`` on the wire or in the SDK; ``KeyError`` if none."""
        for param in self.params:
            if name in (param.name, param.python_name):
                return param
        raise KeyError(f"{self.operation_id} has no parameter {name!r}")

    def params_in(self, location: Location) -> tuple[Param, ...]:
        return tuple(p for p in self.params if p.location == location)


def operation(operation_id: str) -> Operation:
    """The operation with this ``operationId``; ``KeyError`` naming the known ones if none."""
    try:
        return OPERATIONS[operation_id]
    except KeyError:
        raise KeyError(
            f"no operation {operation_id!r}; the spec has {', '.join(sorted(OPERATIONS))}"
        ) from None


def enum_values(name: str) -> tuple[str, ...]:
    """The values of the spec's enum ``name`` (``"SessionStatus"``), in the spec's order."""
    return ENUMS[name]


def _operation(data: Mapping[str, Any]) -> Operation:
    params = tuple(Param(**param) for param in data["params"])
    return Operation(**{**data, "params": params})


_TABLE: Final = json.loads(Path(__file__).with_name("contract.json").read_bytes())

OPERATIONS: Final[Mapping[str, Operation]] = {
    op_id: _operation(data) for op_id, data in _TABLE["operations"].items()
}
"""Every operation of the spec, by ``operationId``, in the spec's order."""
ENUMS: Final[Mapping[str, tuple[str, ...]]] = {
    name: tuple(values) for name, values in _TABLE["enums"].items()
}
"""Every enum schema of the spec: name -> values."""
MAX_REQUEST_BODY_BYTES: Final[int] = _TABLE["max_request_body_bytes"]
"""The largest request body the API takes (the local server answers ``413`` beyond it)."""
