from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.metadata import Metadata


T = TypeVar("T", bound="UpdateUserRequest")


@_attrs_define
class UpdateUserRequest:
    """Every field is optional; omitted fields are left unchanged.

    Attributes:
        new_metadata (Metadata | Unset): Free-form JSON object owned by the caller. At most 65,536 bytes as compact
            UTF-8 JSON
            and 32 levels deep (this project's extension; JSON Schema cannot state a byte size).
        new_custom_user_id (str | Unset): An id: 1..255 characters, no control characters (U+0000-U+001F, U+007F), not
            only
            whitespace (`x-not-blank`), valid Unicode (no lone surrogates). These bounds are this
            project's extension (the local server answers `422` beyond them); the service
            documents none.
        merge_conflict_enabled (bool | None | Unset): `null` makes the user inherit the project setting.
    """

    new_metadata: Metadata | Unset = UNSET
    new_custom_user_id: str | Unset = UNSET
    merge_conflict_enabled: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        new_metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.new_metadata, Unset):
            new_metadata = self.new_metadata.to_dict()

        new_custom_user_id = self.new_custom_user_id

        merge_conflict_enabled: bool | None | Unset
        if isinstance(self.merge_conflict_enabled, Unset):
            merge_conflict_enabled = UNSET
        else:
            merge_conflict_enabled = self.merge_conflict_enabled

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if new_metadata is not UNSET:
            field_dict["new_metadata"] = new_metadata
        if new_custom_user_id is not UNSET:
            field_dict["new_custom_user_id"] = new_custom_user_id
        if merge_conflict_enabled is not UNSET:
            field_dict["merge_conflict_enabled"] = merge_conflict_enabled

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.metadata import Metadata

        d = dict(src_dict)
        _new_metadata = d.pop("new_metadata", UNSET)
        new_metadata: Metadata | Unset
        if isinstance(_new_metadata, Unset):
            new_metadata = UNSET
        else:
            new_metadata = Metadata.from_dict(_new_metadata)

        new_custom_user_id = d.pop("new_custom_user_id", UNSET)

        def _parse_merge_conflict_enabled(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        merge_conflict_enabled = _parse_merge_conflict_enabled(
            d.pop("merge_conflict_enabled", UNSET)
        )

        update_user_request = cls(
            new_metadata=new_metadata,
            new_custom_user_id=new_custom_user_id,
            merge_conflict_enabled=merge_conflict_enabled,
        )

        update_user_request.additional_properties = d
        return update_user_request

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
