from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ResolveError")


@_attrs_define
class ResolveError:
    """A `400` of `resolveMergeConflict`. `detail` is always a human-readable string, and
    it is what 0.6.6 matches, by substring (recallrai/merge_conflict.py:114-137). The
    structured fields below are **this project's extension**: the local server sends
    them, the service is not known to. Clients should prefer them when present and fall
    back to matching `detail` otherwise.

        Attributes:
            detail (str):
            error_code (str | Unset): Which rule failed: `already_resolved`, `invalid_questions`, `missing_answers`
                or `invalid_answer`. Left open (not an enum) so servers can add codes. This
                project's extension.
            invalid_questions (list[str] | Unset): Submitted questions that are not the conflict's own.
            missing_questions (list[str] | Unset): The conflict's questions that got no answer.
            question (str | Unset): The question whose answer is not among its options.
            valid_options (list[str] | Unset): The options of `question`.
    """

    detail: str
    error_code: str | Unset = UNSET
    invalid_questions: list[str] | Unset = UNSET
    missing_questions: list[str] | Unset = UNSET
    question: str | Unset = UNSET
    valid_options: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        detail = self.detail

        error_code = self.error_code

        invalid_questions: list[str] | Unset = UNSET
        if not isinstance(self.invalid_questions, Unset):
            invalid_questions = self.invalid_questions

        missing_questions: list[str] | Unset = UNSET
        if not isinstance(self.missing_questions, Unset):
            missing_questions = self.missing_questions

        question = self.question

        valid_options: list[str] | Unset = UNSET
        if not isinstance(self.valid_options, Unset):
            valid_options = self.valid_options

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "detail": detail,
            }
        )
        if error_code is not UNSET:
            field_dict["error_code"] = error_code
        if invalid_questions is not UNSET:
            field_dict["invalid_questions"] = invalid_questions
        if missing_questions is not UNSET:
            field_dict["missing_questions"] = missing_questions
        if question is not UNSET:
            field_dict["question"] = question
        if valid_options is not UNSET:
            field_dict["valid_options"] = valid_options

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        detail = d.pop("detail")

        error_code = d.pop("error_code", UNSET)

        invalid_questions = cast(list[str], d.pop("invalid_questions", UNSET))

        missing_questions = cast(list[str], d.pop("missing_questions", UNSET))

        question = d.pop("question", UNSET)

        valid_options = cast(list[str], d.pop("valid_options", UNSET))

        resolve_error = cls(
            detail=detail,
            error_code=error_code,
            invalid_questions=invalid_questions,
            missing_questions=missing_questions,
            question=question,
            valid_options=valid_options,
        )

        resolve_error.additional_properties = d
        return resolve_error

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
