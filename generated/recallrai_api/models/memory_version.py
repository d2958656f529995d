from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="MemoryVersion")


@_attrs_define
class MemoryVersion:
    """An earlier, expired version of a memory. Every field but `merge_conflict_id` is
    required and non-null, as 0.6.6's `MemoryVersionInfo` requires
    (recallrai/models/user.py:108-119).

        Attributes:
            memory_id (str): This version's own id (accepted by `getMemory` and `deleteMemory`).
            version_number (int): 1 = oldest.
            content (str):
            event_date_start (datetime.datetime): When the remembered fact started to hold. Always set (0.6.6 requires a
                datetime,
                models/user.py:114-115): when the conversation states no date, it is the time of the
                message the fact came from.
            event_date_end (datetime.datetime): When the remembered fact stopped (or will stop) holding. Always set: when
                the
                conversation states no date, it is the time of the message the fact came from.
            created_at (datetime.datetime):
            expired_at (datetime.datetime): When this version expired (a newer version replaced it).
            expiration_reason (str): Why a memory version expired, as a code. 0.6.6 names the set (the service's
                `NewMemoryVersionCreationReason` enum, recallrai/models/user.py:118) but not its
                values; the one publicly known value is `MERGE_CONFLICT` (models/user.py:119, 161):
                the version was replaced when a merge conflict was resolved, and `merge_conflict_id`
                names that conflict. The other values are not public, so this is an open string, not
                an enum: show unknown codes as they are. This project's local server sends
                `MERGE_CONFLICT` and `NEW_INFORMATION` (a later session superseded the fact while
                merge conflicts were off); the second name is this project's choice.
            merge_conflict_id (None | str | Unset): The merge conflict that expired this version: set only when
                `expiration_reason`
                is `MERGE_CONFLICT` and the conflict record exists (models/user.py:119).
    """

    memory_id: str
    version_number: int
    content: str
    event_date_start: datetime.datetime
    event_date_end: datetime.datetime
    created_at: datetime.datetime
    expired_at: datetime.datetime
    expiration_reason: str
    merge_conflict_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        memory_id = self.memory_id

        version_number = self.version_number

        content = self.content

        event_date_start = self.event_date_start.isoformat()

        event_date_end = self.event_date_end.isoformat()

        created_at = self.created_at.isoformat()

        expired_at = self.expired_at.isoformat()

        expiration_reason = self.expiration_reason

        merge_conflict_id: None | str | Unset
        if isinstance(self.merge_conflict_id, Unset):
            merge_conflict_id = UNSET
        else:
            merge_conflict_id = self.merge_conflict_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "memory_id": memory_id,
                "version_number": version_number,
                "content": content,
                "event_date_start": event_date_start,
                "event_date_end": event_date_end,
                "created_at": created_at,
                "expired_at": expired_at,
                "expiration_reason": expiration_reason,
            }
        )
        if merge_conflict_id is not UNSET:
            field_dict["merge_conflict_id"] = merge_conflict_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        memory_id = d.pop("memory_id")

        version_number = d.pop("version_number")

        content = d.pop("content")

        event_date_start = datetime.datetime.fromisoformat(d.pop("event_date_start"))

        event_date_end = datetime.datetime.fromisoformat(d.pop("event_date_end"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        expired_at = datetime.datetime.fromisoformat(d.pop("expired_at"))

        expiration_reason = d.pop("expiration_reason")

        def _parse_merge_conflict_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        merge_conflict_id = _parse_merge_conflict_id(d.pop("merge_conflict_id", UNSET))

        memory_version = cls(
            memory_id=memory_id,
            version_number=version_number,
            content=content,
            event_date_start=event_date_start,
            event_date_end=event_date_end,
            created_at=created_at,
            expired_at=expired_at,
            expiration_reason=expiration_reason,
            merge_conflict_id=merge_conflict_id,
        )

        memory_version.additional_properties = d
        return memory_version

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
