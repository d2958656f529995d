from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="InvalidCategoriesDetail")


@_attrs_define
class InvalidCategoriesDetail:
    """0.6.6 reads both fields by key (recallrai/user.py:380-382).

    Attributes:
        message (str):
        invalid_categories (list[str]): The requested categories the project does not define.
    """

    message: str
    invalid_categories: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        message = self.message

        invalid_categories = self.invalid_categories

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "message": message,
                "invalid_categories": invalid_categories,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        message = d.pop("message")

        invalid_categories = cast(list[str], d.pop("invalid_categories"))

        invalid_categories_detail = cls(
            message=message,
            invalid_categories=invalid_categories,
        )

        invalid_categories_detail.additional_properties = d
        return invalid_categories_detail

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
