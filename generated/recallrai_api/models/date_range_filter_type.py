from enum import StrEnum


class DateRangeFilterType(StrEnum):
    CREATED_AT = "created_at"
    EVENT_DATE = "event_date"

    def __str__(self) -> str:
        return str(self.value)
