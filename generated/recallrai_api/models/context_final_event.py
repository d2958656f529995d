from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.context_metadata import ContextMetadata


T = TypeVar("T", bound="ContextFinalEvent")


@_attrs_define
class ContextFinalEvent:
    """The last event of the stream: a `Context` with `is_final` true.

    Attributes:
        is_final (bool): This is the final answer. May be absent, which means `false` (0.6.6:
            `data.get("is_final", False)`, models/session.py:251); this project's local
            server always sends it, `true` for `stream=false`.
        status_update_message (None | str | Unset): Progress note of a streamed status event.
        error_message (None | str | Unset): Why retrieval failed, on a final event.
        context (None | str | Unset): The context text (with the system prompt unless `include_system_prompt=false`);
            set when final.
        metadata (ContextMetadata | None | Unset):
    """

    is_final: bool
    status_update_message: None | str | Unset = UNSET
    error_message: None | str | Unset = UNSET
    context: None | str | Unset = UNSET
    metadata: ContextMetadata | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.context_metadata import ContextMetadata

        is_final = self.is_final

        status_update_message: None | str | Unset
        if isinstance(self.status_update_message, Unset):
            status_update_message = UNSET
        else:
            status_update_message = self.status_update_message

        error_message: None | str | Unset
        if isinstance(self.error_message, Unset):
            error_message = UNSET
        else:
            error_message = self.error_message

        context: None | str | Unset
        if isinstance(self.context, Unset):
            context = UNSET
        else:
            context = self.context

        metadata: dict[str, Any] | None | Unset
        if isinstance(self.metadata, Unset):
            metadata = UNSET
        elif isinstance(self.metadata, ContextMetadata):
            metadata = self.metadata.to_dict()
        else:
            metadata = self.metadata

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "is_final": is_final,
            }
        )
        if status_update_message is not UNSET:
            field_dict["status_update_message"] = status_update_message
        if error_message is not UNSET:
            field_dict["error_message"] = error_message
        if context is not UNSET:
            field_dict["context"] = context
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.context_metadata import ContextMetadata

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

        def _parse_error_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error_message = _parse_error_message(d.pop("error_message", UNSET))

        def _parse_context(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        context = _parse_context(d.pop("context", UNSET))

        def _parse_metadata(data: object) -> ContextMetadata | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                metadata_type_0 = ContextMetadata.from_dict(data)

                return metadata_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ContextMetadata | None | Unset, data)

        metadata = _parse_metadata(d.pop("metadata", UNSET))

        context_final_event = cls(
            is_final=is_final,
            status_update_message=status_update_message,
            error_message=error_message,
            context=context,
            metadata=metadata,
        )

        context_final_event.additional_properties = d
        return context_final_event

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
