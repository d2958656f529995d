from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.session_status import SessionStatus

if TYPE_CHECKING:
    from ..models.metadata import Metadata


T = TypeVar("T", bound="Session")


@_attrs_define
class Session:
    """0.6.6 reads every field by key (recallrai/models/session.py:101-106).

    Attributes:
        session_id (str):
        status (SessionStatus): Lifecycle of a session: `pending` (accepting messages) → `processing` →
            `processed`, or `failed`; `insufficient_balance` when the project ran out of credit.
        created_at (datetime.datetime):
        metadata (Metadata): Free-form JSON object owned by the caller. At most 65,536 bytes as compact UTF-8 JSON
            and 32 levels deep (this project's extension; JSON Schema cannot state a byte size).
    """

    session_id: str
    status: SessionStatus
    created_at: datetime.datetime
    metadata: Metadata
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        session_id = self.session_id

        status = self.status.value

        created_at = self.created_at.isoformat()

        metadata = self.metadata.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "session_id": session_id,
                "status": status,
                "created_at": created_at,
                "metadata": metadata,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.metadata import Metadata

        d = dict(src_dict)
        session_id = d.pop("session_id")

        status = SessionStatus(d.pop("status"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        metadata = Metadata.from_dict(d.pop("metadata"))

        session = cls(
            session_id=session_id,
            status=status,
            created_at=created_at,
            metadata=metadata,
        )

        session.additional_properties = d
        return session

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
