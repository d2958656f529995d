"""Contains all the data models used in inputs/outputs

Each model is imported on first use (PEP 562); ``from .models import X`` works as usual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .add_message_request import AddMessageRequest
    from .clarifying_question import ClarifyingQuestion
    from .conflicting_memory import ConflictingMemory
    from .connected_memory import ConnectedMemory
    from .context import Context
    from .context_final_event import ContextFinalEvent
    from .context_metadata import ContextMetadata
    from .context_status_event import ContextStatusEvent
    from .create_session_request import CreateSessionRequest
    from .create_user_request import CreateUserRequest
    from .date_range_filter import DateRangeFilter
    from .date_range_filter_type import DateRangeFilterType
    from .error_detail import ErrorDetail
    from .invalid_categories_detail import InvalidCategoriesDetail
    from .invalid_categories_error import InvalidCategoriesError
    from .last_messages import LastMessages
    from .memory import Memory
    from .memory_list import MemoryList
    from .memory_version import MemoryVersion
    from .merge_conflict import MergeConflict
    from .merge_conflict_answers import MergeConflictAnswers
    from .merge_conflict_list import MergeConflictList
    from .merge_conflict_sort_by import MergeConflictSortBy
    from .merge_conflict_status import MergeConflictStatus
    from .message import Message
    from .message_accepted import MessageAccepted
    from .message_list import MessageList
    from .message_role import MessageRole
    from .metadata import Metadata
    from .new_memory import NewMemory
    from .process_accepted import ProcessAccepted
    from .question_answer import QuestionAnswer
    from .recall_strategy import RecallStrategy
    from .resolution_data import ResolutionData
    from .resolve_error import ResolveError
    from .resolve_merge_conflict_request import ResolveMergeConflictRequest
    from .session import Session
    from .session_list import SessionList
    from .session_status import SessionStatus
    from .sort_order import SortOrder
    from .system_prompt import SystemPrompt
    from .update_session_request import UpdateSessionRequest
    from .update_user_request import UpdateUserRequest
    from .user import User
    from .user_list import UserList
    from .user_message import UserMessage
    from .validation_error_item import ValidationErrorItem
    from .validation_error_list import ValidationErrorList

_MODULES: dict[str, str] = {
    "AddMessageRequest": ".add_message_request",
    "ClarifyingQuestion": ".clarifying_question",
    "ConflictingMemory": ".conflicting_memory",
    "ConnectedMemory": ".connected_memory",
    "Context": ".context",
    "ContextFinalEvent": ".context_final_event",
    "ContextMetadata": ".context_metadata",
    "ContextStatusEvent": ".context_status_event",
    "CreateSessionRequest": ".create_session_request",
    "CreateUserRequest": ".create_user_request",
    "DateRangeFilter": ".date_range_filter",
    "DateRangeFilterType": ".date_range_filter_type",
    "ErrorDetail": ".error_detail",
    "InvalidCategoriesDetail": ".invalid_categories_detail",
    "InvalidCategoriesError": ".invalid_categories_error",
    "LastMessages": ".last_messages",
    "Memory": ".memory",
    "MemoryList": ".memory_list",
    "MemoryVersion": ".memory_version",
    "MergeConflict": ".merge_conflict",
    "MergeConflictAnswers": ".merge_conflict_answers",
    "MergeConflictList": ".merge_conflict_list",
    "MergeConflictSortBy": ".merge_conflict_sort_by",
    "MergeConflictStatus": ".merge_conflict_status",
    "Message": ".message",
    "MessageAccepted": ".message_accepted",
    "MessageList": ".message_list",
    "MessageRole": ".message_role",
    "Metadata": ".metadata",
    "NewMemory": ".new_memory",
    "ProcessAccepted": ".process_accepted",
    "QuestionAnswer": ".question_answer",
    "RecallStrategy": ".recall_strategy",
    "ResolutionData": ".resolution_data",
    "ResolveError": ".resolve_error",
    "ResolveMergeConflictRequest": ".resolve_merge_conflict_request",
    "Session": ".session",
    "SessionList": ".session_list",
    "SessionStatus": ".session_status",
    "SortOrder": ".sort_order",
    "SystemPrompt": ".system_prompt",
    "UpdateSessionRequest": ".update_session_request",
    "UpdateUserRequest": ".update_user_request",
    "User": ".user",
    "UserList": ".user_list",
    "UserMessage": ".user_message",
    "ValidationErrorItem": ".validation_error_item",
    "ValidationErrorList": ".validation_error_list",
}

__all__ = (
    "AddMessageRequest",
    "ClarifyingQuestion",
    "ConflictingMemory",
    "ConnectedMemory",
    "Context",
    "ContextFinalEvent",
    "ContextMetadata",
    "ContextStatusEvent",
    "CreateSessionRequest",
    "CreateUserRequest",
    "DateRangeFilter",
    "DateRangeFilterType",
    "ErrorDetail",
    "InvalidCategoriesDetail",
    "InvalidCategoriesError",
    "LastMessages",
    "Memory",
    "MemoryList",
    "MemoryVersion",
    "MergeConflict",
    "MergeConflictAnswers",
    "MergeConflictList",
    "MergeConflictSortBy",
    "MergeConflictStatus",
    "Message",
    "MessageAccepted",
    "MessageList",
    "MessageRole",
    "Metadata",
    "NewMemory",
    "ProcessAccepted",
    "QuestionAnswer",
    "RecallStrategy",
    "ResolutionData",
    "ResolveError",
    "ResolveMergeConflictRequest",
    "Session",
    "SessionList",
    "SessionStatus",
    "SortOrder",
    "SystemPrompt",
    "UpdateSessionRequest",
    "UpdateUserRequest",
    "User",
    "UserList",
    "UserMessage",
    "ValidationErrorItem",
    "ValidationErrorList",
)


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
