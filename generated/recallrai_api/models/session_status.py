from enum import StrEnum


class SessionStatus(StrEnum):
    FAILED = "failed"
    INSUFFICIENT_BALANCE = "insufficient_balance"
    PENDING = "pending"
    PROCESSED = "processed"
    PROCESSING = "processing"

    def __str__(self) -> str:
        return str(self.value)
