from enum import StrEnum


class MergeConflictSortBy(StrEnum):
    CREATED_AT = "created_at"
    RESOLVED_AT = "resolved_at"

    def __str__(self) -> str:
        return str(self.value)
