from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.invalid_categories_detail import InvalidCategoriesDetail


T = TypeVar("T", bound="InvalidCategoriesError")


@_attrs_define
class InvalidCategoriesError:
    """
    Attributes:
        detail (InvalidCategoriesDetail): 0.6.6 reads both fields by key (recallrai/user.py:380-382).
    """

    detail: InvalidCategoriesDetail
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        detail = self.detail.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "detail": detail,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.invalid_categories_detail import InvalidCategoriesDetail

        d = dict(src_dict)
        detail = InvalidCategoriesDetail.from_dict(d.pop("detail"))

        invalid_categories_error = cls(
            detail=detail,
        )

        invalid_categories_error.additional_properties = d
        return invalid_categories_error

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
