from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="NewMemory")


@_attrs_define
class NewMemory:
    """A memory created by resolving a merge conflict. Every field is required and non-null
    (0.6.6's `MergeConflictNewMemory`, recallrai/models/merge_conflict.py:68-76).

        Attributes:
            memory_id (str): The new memory version's id (accepted by `getMemory`).
            content (str):
            event_date_start (datetime.datetime): When the remembered fact started to hold. Always set (0.6.6 requires a
                datetime,
                models/merge_conflict.py:74-75): when the conversation states no date, it is the time
                of the message the fact came from.
            event_date_end (datetime.datetime): When the remembered fact stopped (or will stop) holding. Always set: when
                the
                conversation states no date, it is the time of the message the fact came from.
            created_at (datetime.datetime):
    """

    memory_id: str
    content: str
    event_date_start: datetime.datetime
    event_date_end: datetime.datetime
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        memory_id = self.memory_id

        content = self.content

        event_date_start = self.event_date_start.isoformat()

        event_date_end = self.event_date_end.isoformat()

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "memory_id": memory_id,
                "content": content,
                "event_date_start": event_date_start,
                "event_date_end": event_date_end,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        memory_id = d.pop("memory_id")

        content = d.pop("content")

        event_date_start = datetime.datetime.fromisoformat(d.pop("event_date_start"))

        event_date_end = datetime.datetime.fromisoformat(d.pop("event_date_end"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        new_memory = cls(
            memory_id=memory_id,
            content=content,
            event_date_start=event_date_start,
            event_date_end=event_date_end,
            created_at=created_at,
        )

        new_memory.additional_properties = d
        return new_memory

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
