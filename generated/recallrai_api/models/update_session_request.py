from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.metadata import Metadata


T = TypeVar("T", bound="UpdateSessionRequest")


@_attrs_define
class UpdateSessionRequest:
    """
    Attributes:
        new_metadata (Metadata | Unset): Free-form JSON object owned by the caller. At most 65,536 bytes as compact
            UTF-8 JSON
            and 32 levels deep (this project's extension; JSON Schema cannot state a byte size).
    """

    new_metadata: Metadata | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        new_metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.new_metadata, Unset):
            new_metadata = self.new_metadata.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if new_metadata is not UNSET:
            field_dict["new_metadata"] = new_metadata

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

        update_session_request = cls(
            new_metadata=new_metadata,
        )

        update_session_request.additional_properties = d
        return update_session_request

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
