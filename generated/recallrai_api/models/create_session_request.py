from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.metadata import Metadata


T = TypeVar("T", bound="CreateSessionRequest")


@_attrs_define
class CreateSessionRequest:
    """
    Attributes:
        auto_process_after_seconds (int | Unset): Process the session automatically after this many idle seconds. The
            minimum of 600
            and the default are 0.6.6's (recallrai/user.py:173, 181); the maximum (one year) is
            this project's extension.
             Default: 600.
        metadata (Metadata | Unset): Free-form JSON object owned by the caller. At most 65,536 bytes as compact UTF-8
            JSON
            and 32 levels deep (this project's extension; JSON Schema cannot state a byte size).
        custom_created_at_utc (datetime.datetime | Unset): Backdate the session (e.g. when importing history); UTC.
    """

    auto_process_after_seconds: int | Unset = 600
    metadata: Metadata | Unset = UNSET
    custom_created_at_utc: datetime.datetime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        auto_process_after_seconds = self.auto_process_after_seconds

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        custom_created_at_utc: str | Unset = UNSET
        if not isinstance(self.custom_created_at_utc, Unset):
            custom_created_at_utc = self.custom_created_at_utc.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if auto_process_after_seconds is not UNSET:
            field_dict["auto_process_after_seconds"] = auto_process_after_seconds
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if custom_created_at_utc is not UNSET:
            field_dict["custom_created_at_utc"] = custom_created_at_utc

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.metadata import Metadata

        d = dict(src_dict)
        auto_process_after_seconds = d.pop("auto_process_after_seconds", UNSET)

        _metadata = d.pop("metadata", UNSET)
        metadata: Metadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = Metadata.from_dict(_metadata)

        _custom_created_at_utc = d.pop("custom_created_at_utc", UNSET)
        custom_created_at_utc: datetime.datetime | Unset
        if isinstance(_custom_created_at_utc, Unset):
            custom_created_at_utc = UNSET
        else:
            custom_created_at_utc = datetime.datetime.fromisoformat(
                _custom_created_at_utc
            )

        create_session_request = cls(
            auto_process_after_seconds=auto_process_after_seconds,
            metadata=metadata,
            custom_created_at_utc=custom_created_at_utc,
        )

        create_session_request.additional_properties = d
        return create_session_request

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
