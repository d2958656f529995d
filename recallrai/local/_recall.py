"""Recall: rank a user's memories and summaries against the conversation, render the context.

This room reads the store and writes nothing; the ranking queries it runs read only
the asking user's own rows (see :mod:`._store`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from recallrai.local._clock import parse_time
from recallrai.local._extract import keywords
from recallrai.local._store import Row, Store

__all__ = [
    "RECALL_STRATEGIES",
    "ContextItem",
    "Recall",
    "RecallOptions",
    "recall",
    "render_context",
    "system_prompt",
]

RECALL_STRATEGIES = ("low_latency", "balanced", "agentic", "auto")


_PROMPT_BASE = """You are an assistant with long-term memory of the user, provided by RecallrAI.

Below the line of dashes you will find what is known about the user you are talking to:
memories (facts the user has shared in earlier conversations, each with the time it was
learned), summaries of earlier sessions, and possibly the most recent messages of the
current conversation.

How to use this context:
1. Treat memories as true unless the user says otherwise in this conversation. The user's
   words in the current conversation always win over older memories.
2. Use memories naturally. Do not recite them, do not list everything you know, and do not
   mention "memories", "context" or "RecallrAI" unless the user asks how you remember things.
3. When a memory is relevant (an allergy when suggesting food, a location when talking about
   weather or travel), let it shape your answer without being asked.
4. Times are shown in the user's timezone when one is known. Reason about "today",
   "yesterday" and ages relative to the current time given at the top of the context.
5. If two memories disagree, prefer the newer one, and ask the user when it matters.
6. Never invent memories. If you do not know something about the user, ask.
7. Be careful with sensitive facts (health, relationships, money): use them only when they
   help the user, and never reveal them to anyone else.
"""

_PROMPT_STRATEGY = {
    "low_latency": (
        "Recall strategy: low latency. The context was retrieved quickly by keyword match and"
        " may miss loosely related memories. If something seems missing, ask the user."
    ),
    "balanced": (
        "Recall strategy: balanced. The context holds the memories and session summaries that"
        " best match the recent conversation, ranked by relevance, most relevant first."
    ),
    "agentic": (
        "Recall strategy: agentic. The context was assembled by a multi-step search over the"
        " user's memories and past sessions; it is the most complete view available. Use it"
        " to answer questions that span several past conversations."
    ),
}


def system_prompt(strategy: str) -> str:
    """The fixed system prompt for a recall strategy (``auto`` answers as ``balanced``)."""
    return f"{_PROMPT_BASE}\n{_PROMPT_STRATEGY.get(strategy, _PROMPT_STRATEGY['balanced'])}\n"


@dataclass(frozen=True)
class ContextItem:
    """One line of the rendered context: when, and what."""

    at: datetime
    text: str


def _when(at: datetime, zone: tzinfo) -> str:
    return at.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")


def render_context(
    now: datetime,
    zone: tzinfo,
    zone_name: str,
    memories: Sequence[ContextItem],
    summaries: Sequence[ContextItem],
    messages: Sequence[ContextItem] | None,
) -> str:
    """The context text handed to the caller's LLM."""
    lines = [
        f"Current time: {_when(now, zone)} ({zone_name})",
        "",
        "## What you remember about the user",
    ]
    lines += [f"- [{_when(m.at, zone)}] {m.text}" for m in memories] or ["- (nothing yet)"]
    lines += ["", "## Summaries of earlier sessions"]
    lines += [f"- [{_when(s.at, zone)}] {s.text}" for s in summaries] or ["- (none)"]
    if messages is not None:
        lines += ["", "## Recent messages in this session"]
        lines += [f"- [{_when(m.at, zone)}] {m.text}" for m in messages] or ["- (none)"]
    return "\n".join(lines)


@dataclass(frozen=True)
class RecallOptions:
    """The context query's knobs."""

    min_top_k: int = 15
    max_top_k: int = 50
    memories_threshold: float = 0.6
    summaries_threshold: float = 0.5
    last_n_messages: int | None = None
    last_n_summaries: int | None = None


@dataclass(frozen=True)
class Recall:
    """What recall found: the rendered text and the ids behind it."""

    text: str
    memory_ids: list[str]
    session_ids: list[str]
    keywords: list[str]


def recall(
    store: Store, session: Row, options: RecallOptions, now: datetime, zone: tzinfo, zone_name: str
) -> Recall:
    """Rank the user's memories and summaries against the session's recent messages."""
    with store.reading():  # one snapshot for the whole ranking
        return _recall(store, session, options, now, zone, zone_name)


def _recall(
    store: Store, session: Row, options: RecallOptions, now: datetime, zone: tzinfo, zone_name: str
) -> Recall:
    user_pk = session["user_pk"]
    recent = store.last_messages_of_session(session["pk"], max(10, options.last_n_messages or 0))
    words = keywords([m["content"] for m in recent[-10:]])

    # The ranking: matches by relevance (BM25 over the best match's), ties newest first,
    # then the memories that do not match (relevance 0), newest first.
    top = options.max_top_k
    matched = store.rank_memories(user_pk, words, top) if words else []

    def ranked(n: int) -> list[Row]:
        """The first ``n`` of the ranking."""
        head = matched[:n]
        if len(head) < n and len(matched) < top:  # every match is in ``matched``: fill up
            seen = {r["pk"] for r in head}
            rest = [r for r in store.newest_memories(user_pk, n) if r["pk"] not in seen]
            head += rest[: n - len(head)]
        return head

    threshold = options.memories_threshold
    candidates = matched if threshold > 0 else ranked(top)  # only matches can clear it
    chosen = [r for r in candidates if r["relevance"] >= threshold][:top]
    if len(chosen) < options.min_top_k:
        chosen = ranked(min(options.min_top_k, top))

    last = options.last_n_summaries
    limit = last if last else -1  # the newest ``last`` of those that clear the threshold
    if options.summaries_threshold <= 0:  # every summary clears it, matching or not
        summaries = store.summaries(user_pk, limit)
    elif words:
        summaries = store.rank_summaries(user_pk, words, options.summaries_threshold, limit)
    else:
        summaries = []

    messages = None
    if options.last_n_messages is not None:
        shown = recent[-options.last_n_messages :]
        messages = [
            ContextItem(parse_time(m["timestamp"]), f"{m['role']}: {m['content']}") for m in shown
        ]
    text = render_context(
        now,
        zone,
        zone_name,
        [ContextItem(parse_time(r["created_at"]), r["content"]) for r in chosen],
        [ContextItem(parse_time(s["created_at"]), s["content"]) for s in summaries],
        messages,
    )
    return Recall(
        text, [r["memory_id"] for r in chosen], [s["session_id"] for s in summaries], words
    )
