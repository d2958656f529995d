from enum import StrEnum


class RecallStrategy(StrEnum):
    AGENTIC = "agentic"
    AUTO = "auto"
    BALANCED = "balanced"
    LOW_LATENCY = "low_latency"

    def __str__(self) -> str:
        return str(self.value)
