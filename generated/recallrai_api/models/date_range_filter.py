from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.date_range_filter_type import DateRangeFilterType

T = TypeVar("T", bound="DateRangeFilter")


@_attrs_define
class DateRangeFilter:
    """A date range recall derived from the query. Both ends are always set (0.6.6 requires
    them as datetimes, recallrai/models/session.py:186-188).

        Attributes:
            filter_type (DateRangeFilterType): Which date a `DateRangeFilter` applies to.
            start_date (datetime.datetime): Start of the range.
            end_date (datetime.datetime): End of the range.
    """

    filter_type: DateRangeFilterType
    start_date: datetime.datetime
    end_date: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        filter_type = self.filter_type.value

        start_date = self.start_date.isoformat()

        end_date = self.end_date.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "filter_type": filter_type,
                "start_date": start_date,
                "end_date": end_date,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        filter_type = DateRangeFilterType(d.pop("filter_type"))

        start_date = datetime.datetime.fromisoformat(d.pop("start_date"))

        end_date = datetime.datetime.fromisoformat(d.pop("end_date"))

        date_range_filter = cls(
            filter_type=filter_type,
            start_date=start_date,
            end_date=end_date,
        )

        date_range_filter.additional_properties = d
        return date_range_filter

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
