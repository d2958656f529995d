from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.question_answer import QuestionAnswer


T = TypeVar("T", bound="MergeConflictAnswers")


@_attrs_define
class MergeConflictAnswers:
    """
    Attributes:
        question_answers (list[QuestionAnswer]):
    """

    question_answers: list[QuestionAnswer]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        question_answers = []
        for question_answers_item_data in self.question_answers:
            question_answers_item = question_answers_item_data.to_dict()
            question_answers.append(question_answers_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "question_answers": question_answers,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.question_answer import QuestionAnswer

        d = dict(src_dict)
        question_answers = []
        _question_answers = d.pop("question_answers")
        for question_answers_item_data in _question_answers:
            question_answers_item = QuestionAnswer.from_dict(question_answers_item_data)

            question_answers.append(question_answers_item)

        merge_conflict_answers = cls(
            question_answers=question_answers,
        )

        merge_conflict_answers.additional_properties = d
        return merge_conflict_answers

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
