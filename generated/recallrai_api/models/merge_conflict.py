from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.merge_conflict_status import MergeConflictStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.clarifying_question import ClarifyingQuestion
    from ..models.conflicting_memory import ConflictingMemory
    from ..models.new_memory import NewMemory
    from ..models.resolution_data import ResolutionData


T = TypeVar("T", bound="MergeConflict")


@_attrs_define
class MergeConflict:
    """Required fields are those 0.6.6's `MergeConflictModel` reads by key
    (recallrai/models/merge_conflict.py:87-96, 116-134).

        Attributes:
            id (str):
            project_user_session_id (str): The session whose processing raised the conflict. Always sent (0.6.6 reads it by
                key, models/merge_conflict.py:88, 120).
            conflicting_memories (list[ConflictingMemory]): The existing memories that the new fact contradicts.
            clarifying_questions (list[ClarifyingQuestion]): What to answer in `resolveMergeConflict`, one entry per
                question.
            status (MergeConflictStatus): `PENDING` (awaiting answers), `IN_QUEUE` (queued for automatic resolution),
                `RESOLVING`, `RESOLVED`, `FAILED`. Upper case on the wire.
            created_at (datetime.datetime):
            proposed_memory_content (None | str | Unset): The new fact that contradicts `conflicting_memories`, while the
                conflict is
                unresolved (models/merge_conflict.py:89). Formerly `new_memory_content`. It is
                what the user said; what was stored in the end is `new_memories`.
            new_memories (list[NewMemory] | None | Unset): The memories the resolution created, once the conflict is
                resolved
                (models/merge_conflict.py:90); absent, `null` or empty before that, and empty when
                the answer kept the existing memory.
            resolution_data (None | ResolutionData | Unset): What the resolution did, once resolved.
            resolved_at (datetime.datetime | None | Unset): When the conflict was resolved; absent or `null` until then.
    """

    id: str
    project_user_session_id: str
    conflicting_memories: list[ConflictingMemory]
    clarifying_questions: list[ClarifyingQuestion]
    status: MergeConflictStatus
    created_at: datetime.datetime
    proposed_memory_content: None | str | Unset = UNSET
    new_memories: list[NewMemory] | None | Unset = UNSET
    resolution_data: None | ResolutionData | Unset = UNSET
    resolved_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.resolution_data import ResolutionData

        id = self.id

        project_user_session_id = self.project_user_session_id

        conflicting_memories = []
        for conflicting_memories_item_data in self.conflicting_memories:
            conflicting_memories_item = conflicting_memories_item_data.to_dict()
            conflicting_memories.append(conflicting_memories_item)

        clarifying_questions = []
        for clarifying_questions_item_data in self.clarifying_questions:
            clarifying_questions_item = clarifying_questions_item_data.to_dict()
            clarifying_questions.append(clarifying_questions_item)

        status = self.status.value

        created_at = self.created_at.isoformat()

        proposed_memory_content: None | str | Unset
        if isinstance(self.proposed_memory_content, Unset):
            proposed_memory_content = UNSET
        else:
            proposed_memory_content = self.proposed_memory_content

        new_memories: list[dict[str, Any]] | None | Unset
        if isinstance(self.new_memories, Unset):
            new_memories = UNSET
        elif isinstance(self.new_memories, list):
            new_memories = []
            for new_memories_type_0_item_data in self.new_memories:
                new_memories_type_0_item = new_memories_type_0_item_data.to_dict()
                new_memories.append(new_memories_type_0_item)

        else:
            new_memories = self.new_memories

        resolution_data: dict[str, Any] | None | Unset
        if isinstance(self.resolution_data, Unset):
            resolution_data = UNSET
        elif isinstance(self.resolution_data, ResolutionData):
            resolution_data = self.resolution_data.to_dict()
        else:
            resolution_data = self.resolution_data

        resolved_at: None | str | Unset
        if isinstance(self.resolved_at, Unset):
            resolved_at = UNSET
        elif isinstance(self.resolved_at, datetime.datetime):
            resolved_at = self.resolved_at.isoformat()
        else:
            resolved_at = self.resolved_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "project_user_session_id": project_user_session_id,
                "conflicting_memories": conflicting_memories,
                "clarifying_questions": clarifying_questions,
                "status": status,
                "created_at": created_at,
            }
        )
        if proposed_memory_content is not UNSET:
            field_dict["proposed_memory_content"] = proposed_memory_content
        if new_memories is not UNSET:
            field_dict["new_memories"] = new_memories
        if resolution_data is not UNSET:
            field_dict["resolution_data"] = resolution_data
        if resolved_at is not UNSET:
            field_dict["resolved_at"] = resolved_at

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.clarifying_question import ClarifyingQuestion
        from ..models.conflicting_memory import ConflictingMemory
        from ..models.new_memory import NewMemory
        from ..models.resolution_data import ResolutionData

        d = dict(src_dict)
        id = d.pop("id")

        project_user_session_id = d.pop("project_user_session_id")

        conflicting_memories = []
        _conflicting_memories = d.pop("conflicting_memories")
        for conflicting_memories_item_data in _conflicting_memories:
            conflicting_memories_item = ConflictingMemory.from_dict(
                conflicting_memories_item_data
            )

            conflicting_memories.append(conflicting_memories_item)

        clarifying_questions = []
        _clarifying_questions = d.pop("clarifying_questions")
        for clarifying_questions_item_data in _clarifying_questions:
            clarifying_questions_item = ClarifyingQuestion.from_dict(
                clarifying_questions_item_data
            )

            clarifying_questions.append(clarifying_questions_item)

        status = MergeConflictStatus(d.pop("status"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_proposed_memory_content(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        proposed_memory_content = _parse_proposed_memory_content(
            d.pop("proposed_memory_content", UNSET)
        )

        def _parse_new_memories(data: object) -> list[NewMemory] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                new_memories_type_0 = []
                _new_memories_type_0 = data
                for new_memories_type_0_item_data in _new_memories_type_0:
                    new_memories_type_0_item = NewMemory.from_dict(
                        new_memories_type_0_item_data
                    )

                    new_memories_type_0.append(new_memories_type_0_item)

                return new_memories_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[NewMemory] | None | Unset, data)

        new_memories = _parse_new_memories(d.pop("new_memories", UNSET))

        def _parse_resolution_data(data: object) -> None | ResolutionData | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                resolution_data_type_0 = ResolutionData.from_dict(data)

                return resolution_data_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ResolutionData | Unset, data)

        resolution_data = _parse_resolution_data(d.pop("resolution_data", UNSET))

        def _parse_resolved_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                resolved_at_type_0 = datetime.datetime.fromisoformat(data)

                return resolved_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        resolved_at = _parse_resolved_at(d.pop("resolved_at", UNSET))

        merge_conflict = cls(
            id=id,
            project_user_session_id=project_user_session_id,
            conflicting_memories=conflicting_memories,
            clarifying_questions=clarifying_questions,
            status=status,
            created_at=created_at,
            proposed_memory_content=proposed_memory_content,
            new_memories=new_memories,
            resolution_data=resolution_data,
            resolved_at=resolved_at,
        )

        merge_conflict.additional_properties = d
        return merge_conflict

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
