from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ContextStatusEvent")


@_attrs_define
class ContextStatusEvent:
    """A progress note while the context is being retrieved. The official 0.6.6 SDK
    parses it as a `Context` whose other fields are absent or null, and reads an
    absent `is_final` as false (models/session.py:251); that the service always sends
    `is_final` in the stream is this spec's claim (the local server does), without
    public evidence either way.

        Attributes:
            is_final (bool):
            status_update_message (None | str | Unset): Human-readable progress, e.g. `Searching memories`.
    """

    is_final: bool
    status_update_message: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        is_final = self.is_final

        status_update_message: None | str | Unset
        if isinstance(self.status_update_message, Unset):
            status_update_message = UNSET
        else:
            status_update_message = self.status_update_message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "is_final": is_final,
            }
        )
        if status_update_message is not UNSET:
            field_dict["status_update_message"] = status_update_message

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        is_final = d.pop("is_final")

        def _parse_status_update_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        status_update_message = _parse_status_update_message(
            d.pop("status_update_message", UNSET)
        )

        context_status_event = cls(
            is_final=is_final,
            status_update_message=status_update_message,
        )

        context_status_event.additional_properties = d
        return context_status_event

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
