from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.metadata import Metadata


T = TypeVar("T", bound="User")


@_attrs_define
class User:
    """Every field is always sent; 0.6.6 reads each one by key (recallrai/models/user.py:47-51).

    Attributes:
        custom_user_id (str): Your own id for the user.
        metadata (Metadata): Free-form JSON object owned by the caller. At most 65,536 bytes as compact UTF-8 JSON
            and 32 levels deep (this project's extension; JSON Schema cannot state a byte size).
        merge_conflict_enabled (bool | None): The user's own merge-conflict setting: `true` always raises conflicts,
            `false`
            never, `null` inherits the project setting (models/user.py:19). Always present,
            possibly `null`.
        created_at (datetime.datetime):
        last_active_at (datetime.datetime):
    """

    custom_user_id: str
    metadata: Metadata
    merge_conflict_enabled: bool | None
    created_at: datetime.datetime
    last_active_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        custom_user_id = self.custom_user_id

        metadata = self.metadata.to_dict()

        merge_conflict_enabled: bool | None
        merge_conflict_enabled = self.merge_conflict_enabled

        created_at = self.created_at.isoformat()

        last_active_at = self.last_active_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "custom_user_id": custom_user_id,
                "metadata": metadata,
                "merge_conflict_enabled": merge_conflict_enabled,
                "created_at": created_at,
                "last_active_at": last_active_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.metadata import Metadata

        d = dict(src_dict)
        custom_user_id = d.pop("custom_user_id")

        metadata = Metadata.from_dict(d.pop("metadata"))

        def _parse_merge_conflict_enabled(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        merge_conflict_enabled = _parse_merge_conflict_enabled(
            d.pop("merge_conflict_enabled")
        )

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        last_active_at = datetime.datetime.fromisoformat(d.pop("last_active_at"))

        user = cls(
            custom_user_id=custom_user_id,
            metadata=metadata,
            merge_conflict_enabled=merge_conflict_enabled,
            created_at=created_at,
            last_active_at=last_active_at,
        )

        user.additional_properties = d
        return user

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
