from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ConflictingMemory")


@_attrs_define
class ConflictingMemory:
    """
    Attributes:
        memory_id (str):
        content (str):
        reason (str): Why this memory conflicts with the new one.
        event_date_start (datetime.datetime | None | Unset):
        event_date_end (datetime.datetime | None | Unset):
        created_at (datetime.datetime | None | Unset):
    """

    memory_id: str
    content: str
    reason: str
    event_date_start: datetime.datetime | None | Unset = UNSET
    event_date_end: datetime.datetime | None | Unset = UNSET
    created_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        memory_id = self.memory_id

        content = self.content

        reason = self.reason

        event_date_start: None | str | Unset
        if isinstance(self.event_date_start, Unset):
            event_date_start = UNSET
        elif isinstance(self.event_date_start, datetime.datetime):
            event_date_start = self.event_date_start.isoformat()
        else:
            event_date_start = self.event_date_start

        event_date_end: None | str | Unset
        if isinstance(self.event_date_end, Unset):
            event_date_end = UNSET
        elif isinstance(self.event_date_end, datetime.datetime):
            event_date_end = self.event_date_end.isoformat()
        else:
            event_date_end = self.event_date_end

        created_at: None | str | Unset
        if isinstance(self.created_at, Unset):
            created_at = UNSET
        elif isinstance(self.created_at, datetime.datetime):
            created_at = self.created_at.isoformat()
        else:
            created_at = self.created_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "memory_id": memory_id,
                "content": content,
                "reason": reason,
            }
        )
        if event_date_start is not UNSET:
            field_dict["event_date_start"] = event_date_start
        if event_date_end is not UNSET:
            field_dict["event_date_end"] = event_date_end
        if created_at is not UNSET:
            field_dict["created_at"] = created_at

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        memory_id = d.pop("memory_id")

        content = d.pop("content")

        reason = d.pop("reason")

        def _parse_event_date_start(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                event_date_start_type_0 = datetime.datetime.fromisoformat(data)

                return event_date_start_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        event_date_start = _parse_event_date_start(d.pop("event_date_start", UNSET))

        def _parse_event_date_end(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                event_date_end_type_0 = datetime.datetime.fromisoformat(data)

                return event_date_end_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        event_date_end = _parse_event_date_end(d.pop("event_date_end", UNSET))

        def _parse_created_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                created_at_type_0 = datetime.datetime.fromisoformat(data)

                return created_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        created_at = _parse_created_at(d.pop("created_at", UNSET))

        conflicting_memory = cls(
            memory_id=memory_id,
            content=content,
            reason=reason,
            event_date_start=event_date_start,
            event_date_end=event_date_end,
            created_at=created_at,
        )

        conflicting_memory.additional_properties = d
        return conflicting_memory

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
