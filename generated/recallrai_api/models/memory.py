from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.connected_memory import ConnectedMemory
    from ..models.memory_version import MemoryVersion


T = TypeVar("T", bound="Memory")


@_attrs_define
class Memory:
    """A memory: its latest version, with optional history and neighbours. Required fields
    are those 0.6.6's `UserMemoryItem` requires (recallrai/models/user.py:138-168).

        Attributes:
            memory_id (str): Id of the latest version.
            categories (list[str]):
            content (str):
            event_date_start (datetime.datetime): When the remembered fact started to hold. Always set (0.6.6 requires a
                datetime,
                models/user.py:144-145): when the conversation states no date, it is the time of the
                message the fact came from.
            event_date_end (datetime.datetime): When the remembered fact stopped (or will stop) holding. Always set: when
                the
                conversation states no date, it is the time of the message the fact came from.
            created_at (datetime.datetime):
            version_number (int): Which version this is (1 = oldest).
            total_versions (int): How many versions the memory has.
            has_previous_versions (bool): `total_versions > 1`.
            merge_conflict_in_progress (bool): A merge conflict about this memory awaits answers (see `listMergeConflicts`).
            session_id (str): The session that created this version.
            previous_versions (list[MemoryVersion] | None | Unset): Earlier versions, oldest first, when
                `include_previous_versions=true`; absent or
                `null` otherwise.
            connected_memories (list[ConnectedMemory] | None | Unset): Related memories, when
                `include_connected_memories=true`; absent or `null`
                otherwise.
            merge_conflict_id (None | str | Unset): The merge conflict that **expired** this version: set only when
                `expiration_reason` is `MERGE_CONFLICT` and the conflict record exists (0.6.6,
                recallrai/models/user.py:161). It does not point at a conflict still in progress;
                for that, see `merge_conflict_in_progress`.
            expired_at (datetime.datetime | None | Unset): When this version expired; set only when the item is an expired
                (earlier)
                version (models/user.py:163-164); see `getMemory`.
            expiration_reason (None | str | Unset): Why this version expired; set together with `expired_at`.
    """

    memory_id: str
    categories: list[str]
    content: str
    event_date_start: datetime.datetime
    event_date_end: datetime.datetime
    created_at: datetime.datetime
    version_number: int
    total_versions: int
    has_previous_versions: bool
    merge_conflict_in_progress: bool
    session_id: str
    previous_versions: list[MemoryVersion] | None | Unset = UNSET
    connected_memories: list[ConnectedMemory] | None | Unset = UNSET
    merge_conflict_id: None | str | Unset = UNSET
    expired_at: datetime.datetime | None | Unset = UNSET
    expiration_reason: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        memory_id = self.memory_id

        categories = self.categories

        content = self.content

        event_date_start = self.event_date_start.isoformat()

        event_date_end = self.event_date_end.isoformat()

        created_at = self.created_at.isoformat()

        version_number = self.version_number

        total_versions = self.total_versions

        has_previous_versions = self.has_previous_versions

        merge_conflict_in_progress = self.merge_conflict_in_progress

        session_id = self.session_id

        previous_versions: list[dict[str, Any]] | None | Unset
        if isinstance(self.previous_versions, Unset):
            previous_versions = UNSET
        elif isinstance(self.previous_versions, list):
            previous_versions = []
            for previous_versions_type_0_item_data in self.previous_versions:
                previous_versions_type_0_item = (
                    previous_versions_type_0_item_data.to_dict()
                )
                previous_versions.append(previous_versions_type_0_item)

        else:
            previous_versions = self.previous_versions

        connected_memories: list[dict[str, Any]] | None | Unset
        if isinstance(self.connected_memories, Unset):
            connected_memories = UNSET
        elif isinstance(self.connected_memories, list):
            connected_memories = []
            for connected_memories_type_0_item_data in self.connected_memories:
                connected_memories_type_0_item = (
                    connected_memories_type_0_item_data.to_dict()
                )
                connected_memories.append(connected_memories_type_0_item)

        else:
            connected_memories = self.connected_memories

        merge_conflict_id: None | str | Unset
        if isinstance(self.merge_conflict_id, Unset):
            merge_conflict_id = UNSET
        else:
            merge_conflict_id = self.merge_conflict_id

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

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "memory_id": memory_id,
                "categories": categories,
                "content": content,
                "event_date_start": event_date_start,
                "event_date_end": event_date_end,
                "created_at": created_at,
                "version_number": version_number,
                "total_versions": total_versions,
                "has_previous_versions": has_previous_versions,
                "merge_conflict_in_progress": merge_conflict_in_progress,
                "session_id": session_id,
            }
        )
        if previous_versions is not UNSET:
            field_dict["previous_versions"] = previous_versions
        if connected_memories is not UNSET:
            field_dict["connected_memories"] = connected_memories
        if merge_conflict_id is not UNSET:
            field_dict["merge_conflict_id"] = merge_conflict_id
        if expired_at is not UNSET:
            field_dict["expired_at"] = expired_at
        if expiration_reason is not UNSET:
            field_dict["expiration_reason"] = expiration_reason

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.connected_memory import ConnectedMemory
        from ..models.memory_version import MemoryVersion

        d = dict(src_dict)
        memory_id = d.pop("memory_id")

        categories = cast(list[str], d.pop("categories"))

        content = d.pop("content")

        event_date_start = datetime.datetime.fromisoformat(d.pop("event_date_start"))

        event_date_end = datetime.datetime.fromisoformat(d.pop("event_date_end"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        version_number = d.pop("version_number")

        total_versions = d.pop("total_versions")

        has_previous_versions = d.pop("has_previous_versions")

        merge_conflict_in_progress = d.pop("merge_conflict_in_progress")

        session_id = d.pop("session_id")

        def _parse_previous_versions(
            data: object,
        ) -> list[MemoryVersion] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                previous_versions_type_0 = []
                _previous_versions_type_0 = data
                for previous_versions_type_0_item_data in _previous_versions_type_0:
                    previous_versions_type_0_item = MemoryVersion.from_dict(
                        previous_versions_type_0_item_data
                    )

                    previous_versions_type_0.append(previous_versions_type_0_item)

                return previous_versions_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[MemoryVersion] | None | Unset, data)

        previous_versions = _parse_previous_versions(d.pop("previous_versions", UNSET))

        def _parse_connected_memories(
            data: object,
        ) -> list[ConnectedMemory] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                connected_memories_type_0 = []
                _connected_memories_type_0 = data
                for connected_memories_type_0_item_data in _connected_memories_type_0:
                    connected_memories_type_0_item = ConnectedMemory.from_dict(
                        connected_memories_type_0_item_data
                    )

                    connected_memories_type_0.append(connected_memories_type_0_item)

                return connected_memories_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ConnectedMemory] | None | Unset, data)

        connected_memories = _parse_connected_memories(
            d.pop("connected_memories", UNSET)
        )

        def _parse_merge_conflict_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        merge_conflict_id = _parse_merge_conflict_id(d.pop("merge_conflict_id", UNSET))

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

        memory = cls(
            memory_id=memory_id,
            categories=categories,
            content=content,
            event_date_start=event_date_start,
            event_date_end=event_date_end,
            created_at=created_at,
            version_number=version_number,
            total_versions=total_versions,
            has_previous_versions=has_previous_versions,
            merge_conflict_in_progress=merge_conflict_in_progress,
            session_id=session_id,
            previous_versions=previous_versions,
            connected_memories=connected_memories,
            merge_conflict_id=merge_conflict_id,
            expired_at=expired_at,
            expiration_reason=expiration_reason,
        )

        memory.additional_properties = d
        return memory

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
