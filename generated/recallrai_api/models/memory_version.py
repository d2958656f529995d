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
    """
    Attributes:
        memory_id (str):
        version_number (int): 1 = oldest.
        content (str):
        created_at (datetime.datetime):
        event_date_start (datetime.datetime | None | Unset):
        event_date_end (datetime.datetime | None | Unset):
        expired_at (datetime.datetime | None | Unset):
        expiration_reason (None | str | Unset): Why this version expired, e.g. a newer version replaced it.
        merge_conflict_id (None | str | Unset):
    """

    memory_id: str
    version_number: int
    content: str
    created_at: datetime.datetime
    event_date_start: datetime.datetime | None | Unset = UNSET
    event_date_end: datetime.datetime | None | Unset = UNSET
    expired_at: datetime.datetime | None | Unset = UNSET
    expiration_reason: None | str | Unset = UNSET
    merge_conflict_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        memory_id = self.memory_id

        version_number = self.version_number

        content = self.content

        created_at = self.created_at.isoformat()

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

        expired_at: None | str | Unset
        if isinstance(self.expired_at, Unset):
            expired_at = UNSET
        elif isinstance(self.expired_at, datetime.datetime):
            expired_at = self.expired_at.isoformat()
        else:
            expired_at = self.expired_at

        expiration_reason: None | str | Unset
        if isinstance(self.expiration_reason, Unset):
            expiration_reason = UNSET
        else:
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
                "created_at": created_at,
            }
        )
        if event_date_start is not UNSET:
            field_dict["event_date_start"] = event_date_start
        if event_date_end is not UNSET:
            field_dict["event_date_end"] = event_date_end
        if expired_at is not UNSET:
            field_dict["expired_at"] = expired_at
        if expiration_reason is not UNSET:
            field_dict["expiration_reason"] = expiration_reason
        if merge_conflict_id is not UNSET:
            field_dict["merge_conflict_id"] = merge_conflict_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        memory_id = d.pop("memory_id")

        version_number = d.pop("version_number")

        content = d.pop("content")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

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

        def _parse_expired_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expired_at_type_0 = datetime.datetime.fromisoformat(data)

                return expired_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        expired_at = _parse_expired_at(d.pop("expired_at", UNSET))

        def _parse_expiration_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        expiration_reason = _parse_expiration_reason(d.pop("expiration_reason", UNSET))

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
            created_at=created_at,
            event_date_start=event_date_start,
            event_date_end=event_date_end,
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
