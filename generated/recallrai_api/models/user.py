from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.metadata import Metadata


T = TypeVar("T", bound="User")


@_attrs_define
class User:
    """
    Attributes:
        custom_user_id (str): Your own id for the user.
        metadata (Metadata): Free-form JSON object owned by the caller.
        created_at (datetime.datetime):
        last_active_at (datetime.datetime):
        merge_conflict_enabled (bool | None | Unset): `null` means the user inherits the project setting.
    """

    custom_user_id: str
    metadata: Metadata
    created_at: datetime.datetime
    last_active_at: datetime.datetime
    merge_conflict_enabled: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        custom_user_id = self.custom_user_id

        metadata = self.metadata.to_dict()

        created_at = self.created_at.isoformat()

        last_active_at = self.last_active_at.isoformat()

        merge_conflict_enabled: bool | None | Unset
        if isinstance(self.merge_conflict_enabled, Unset):
            merge_conflict_enabled = UNSET
        else:
            merge_conflict_enabled = self.merge_conflict_enabled

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "custom_user_id": custom_user_id,
                "metadata": metadata,
                "created_at": created_at,
                "last_active_at": last_active_at,
            }
        )
        if merge_conflict_enabled is not UNSET:
            field_dict["merge_conflict_enabled"] = merge_conflict_enabled

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.metadata import Metadata

        d = dict(src_dict)
        custom_user_id = d.pop("custom_user_id")

        metadata = Metadata.from_dict(d.pop("metadata"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        last_active_at = datetime.datetime.fromisoformat(d.pop("last_active_at"))

        def _parse_merge_conflict_enabled(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        merge_conflict_enabled = _parse_merge_conflict_enabled(
            d.pop("merge_conflict_enabled", UNSET)
        )

        user = cls(
            custom_user_id=custom_user_id,
            metadata=metadata,
            created_at=created_at,
            last_active_at=last_active_at,
            merge_conflict_enabled=merge_conflict_enabled,
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
