from enum import StrEnum


class MergeConflictStatus(StrEnum):
    FAILED = "FAILED"
    IN_QUEUE = "IN_QUEUE"
    PENDING = "PENDING"
    RESOLVED = "RESOLVED"
    RESOLVING = "RESOLVING"

    def __str__(self) -> str:
        return str(self.value)
