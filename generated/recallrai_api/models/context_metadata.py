from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.recall_strategy import RecallStrategy
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.date_range_filter import DateRangeFilter


T = TypeVar("T", bound="ContextMetadata")


@_attrs_define
class ContextMetadata:
    """`recall_strategy_used` is required: 0.6.6 reads it by key whenever `metadata` is a
    non-empty object (recallrai/models/session.py:247).

        Attributes:
            recall_strategy_used (RecallStrategy): Speed/quality trade-off of context retrieval: `low_latency` (fastest),
                `balanced` (default), `agentic` (thorough, multi-step; formerly called "deep"),
                `auto` (the service picks one; the one used is reported in
                `ContextMetadata.recall_strategy_used`).
            memory_ids (list[str] | None | Unset): Memories used (with `include_metadata_ids=true`).
            session_ids (list[str] | None | Unset): Sessions whose summaries were used (with `include_metadata_ids=true`).
            agent_reasoning (None | str | Unset): Reasoning notes of the `agentic` strategy.
            vector_search_queries (list[str] | None | Unset):
            keywords (list[str] | None | Unset):
            session_summaries_search_queries (list[str] | None | Unset):
            date_range_filters (list[DateRangeFilter] | None | Unset):
    """

    recall_strategy_used: RecallStrategy
    memory_ids: list[str] | None | Unset = UNSET
    session_ids: list[str] | None | Unset = UNSET
    agent_reasoning: None | str | Unset = UNSET
    vector_search_queries: list[str] | None | Unset = UNSET
    keywords: list[str] | None | Unset = UNSET
    session_summaries_search_queries: list[str] | None | Unset = UNSET
    date_range_filters: list[DateRangeFilter] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        recall_strategy_used = self.recall_strategy_used.value

        memory_ids: list[str] | None | Unset
        if isinstance(self.memory_ids, Unset):
            memory_ids = UNSET
        elif isinstance(self.memory_ids, list):
            memory_ids = self.memory_ids

        else:
            memory_ids = self.memory_ids

        session_ids: list[str] | None | Unset
        if isinstance(self.session_ids, Unset):
            session_ids = UNSET
        elif isinstance(self.session_ids, list):
            session_ids = self.session_ids

        else:
            session_ids = self.session_ids

        agent_reasoning: None | str | Unset
        if isinstance(self.agent_reasoning, Unset):
            agent_reasoning = UNSET
        else:
            agent_reasoning = self.agent_reasoning

        vector_search_queries: list[str] | None | Unset
        if isinstance(self.vector_search_queries, Unset):
            vector_search_queries = UNSET
        elif isinstance(self.vector_search_queries, list):
            vector_search_queries = self.vector_search_queries

        else:
            vector_search_queries = self.vector_search_queries

        keywords: list[str] | None | Unset
        if isinstance(self.keywords, Unset):
            keywords = UNSET
        elif isinstance(self.keywords, list):
            keywords = self.keywords

        else:
            keywords = self.keywords

        session_summaries_search_queries: list[str] | None | Unset
        if isinstance(self.session_summaries_search_queries, Unset):
            session_summaries_search_queries = UNSET
        elif isinstance(self.session_summaries_search_queries, list):
            session_summaries_search_queries = self.session_summaries_search_queries

        else:
            session_summaries_search_queries = self.session_summaries_search_queries

        date_range_filters: list[dict[str, Any]] | None | Unset
        if isinstance(self.date_range_filters, Unset):
            date_range_filters = UNSET
        elif isinstance(self.date_range_filters, list):
            date_range_filters = []
            for date_range_filters_type_0_item_data in self.date_range_filters:
                date_range_filters_type_0_item = (
                    date_range_filters_type_0_item_data.to_dict()
                )
                date_range_filters.append(date_range_filters_type_0_item)

        else:
            date_range_filters = self.date_range_filters

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "recall_strategy_used": recall_strategy_used,
            }
        )
        if memory_ids is not UNSET:
            field_dict["memory_ids"] = memory_ids
        if session_ids is not UNSET:
            field_dict["session_ids"] = session_ids
        if agent_reasoning is not UNSET:
            field_dict["agent_reasoning"] = agent_reasoning
        if vector_search_queries is not UNSET:
            field_dict["vector_search_queries"] = vector_search_queries
        if keywords is not UNSET:
            field_dict["keywords"] = keywords
        if session_summaries_search_queries is not UNSET:
            field_dict["session_summaries_search_queries"] = (
                session_summaries_search_queries
            )
        if date_range_filters is not UNSET:
            field_dict["date_range_filters"] = date_range_filters

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.date_range_filter import DateRangeFilter

        d = dict(src_dict)
        recall_strategy_used = RecallStrategy(d.pop("recall_strategy_used"))

        def _parse_memory_ids(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                memory_ids_type_0 = cast(list[str], data)

                return memory_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        memory_ids = _parse_memory_ids(d.pop("memory_ids", UNSET))

        def _parse_session_ids(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                session_ids_type_0 = cast(list[str], data)

                return session_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        session_ids = _parse_session_ids(d.pop("session_ids", UNSET))

        def _parse_agent_reasoning(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        agent_reasoning = _parse_agent_reasoning(d.pop("agent_reasoning", UNSET))

        def _parse_vector_search_queries(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                vector_search_queries_type_0 = cast(list[str], data)

                return vector_search_queries_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        vector_search_queries = _parse_vector_search_queries(
            d.pop("vector_search_queries", UNSET)
        )

        def _parse_keywords(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                keywords_type_0 = cast(list[str], data)

                return keywords_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        keywords = _parse_keywords(d.pop("keywords", UNSET))

        def _parse_session_summaries_search_queries(
            data: object,
        ) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                session_summaries_search_queries_type_0 = cast(list[str], data)

                return session_summaries_search_queries_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        session_summaries_search_queries = _parse_session_summaries_search_queries(
            d.pop("session_summaries_search_queries", UNSET)
        )

        def _parse_date_range_filters(
            data: object,
        ) -> list[DateRangeFilter] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                date_range_filters_type_0 = []
                _date_range_filters_type_0 = data
                for date_range_filters_type_0_item_data in _date_range_filters_type_0:
                    date_range_filters_type_0_item = DateRangeFilter.from_dict(
                        date_range_filters_type_0_item_data
                    )

                    date_range_filters_type_0.append(date_range_filters_type_0_item)

                return date_range_filters_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[DateRangeFilter] | None | Unset, data)

        date_range_filters = _parse_date_range_filters(
            d.pop("date_range_filters", UNSET)
        )

        context_metadata = cls(
            recall_strategy_used=recall_strategy_used,
            memory_ids=memory_ids,
            session_ids=session_ids,
            agent_reasoning=agent_reasoning,
            vector_search_queries=vector_search_queries,
            keywords=keywords,
            session_summaries_search_queries=session_summaries_search_queries,
            date_range_filters=date_range_filters,
        )

        context_metadata.additional_properties = d
        return context_metadata

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
