"""The deterministic memory engine: facts from first-person statements, no LLM.

``extract_facts`` reads a user's messages and finds statements such as "I live
in Berlin" or "My favourite food is sushi"; each becomes a :class:`Fact` with a
*subject* (two facts on one subject contradict each other unless equal), its
categories from :data:`CATEGORIES`, and a third-person content ("User lives in
Berlin"). The module also writes session summaries, ranking keywords, the
system prompts and the rendered context text.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo

from recallrai.local._clock import parse_time
from recallrai.local._store import Row, Store

__all__ = [
    "CATEGORIES",
    "RECALL_STRATEGIES",
    "Fact",
    "extract_facts",
    "keywords",
    "render_context",
    "summarize",
    "system_prompt",
]

#: The project's category lexicon; a memory filter naming anything else is rejected.
CATEGORIES: tuple[str, ...] = (
    "personal_info",
    "location",
    "food_preferences",
    "allergies",
    "health",
    "work",
    "education",
    "hobbies",
    "pets",
    "relationships",
    "preferences",
    "languages",
    "travel",
)

RECALL_STRATEGIES = ("low_latency", "balanced", "agentic", "auto")


@dataclass(frozen=True)
class Fact:
    """One thing learned about the user."""

    subject: str
    categories: tuple[str, ...]
    content: str
    source: int = 0
    """Index of the text (message) the fact was stated in."""


_FOOD_WORDS = (
    "food foods cuisine dish dishes meal meals snack snacks dessert desserts drink drinks fruit"
    " fruits vegetable vegetables restaurant sushi pizza pasta burger burgers chocolate coffee tea"
    " wine beer cheese bread rice noodles ramen curry tacos salad soup steak chicken fish seafood"
    " shellfish peanuts nuts eggs milk ice cream cake cookies apples bananas spicy vegan meat pork"
    " beef tofu falafel sandwiches breakfast lunch dinner cooking baking mushrooms onions garlic"
    " olives tomatoes potatoes fries chips candy sweets dairy gluten lactose shrimp lobster"
)
_FOODS = frozenset(_FOOD_WORDS.split())
_PASTIME_WORDS = (
    "sport sports game games hobby hobbies music band song songs movie movies film films book books"
    " novel novels show series artist singer instrument team"
)
_PASTIMES = frozenset(_PASTIME_WORDS.split())
_PETS = (
    "dog|cat|puppy|kitten|parrot|bird|hamster|rabbit|bunny|fish|turtle|horse|snake|lizard"
    "|guinea pig"
)
_KIN = (
    "wife|husband|partner|girlfriend|boyfriend|fiancee?|son|daughter|brother|sister|mother|father"
    "|mom|mum|dad|grandmother|grandfather|best friend|boss"
)
_I_AM = r"\bi(?:'m| am)\s+"

_CUT = re.compile(r"\s+(?:because|since|which|who|but|although|though|so that)\b.*$", re.IGNORECASE)
_FILLER = re.compile(
    r"(?:\s+|^)(?:now|these days|currently|at the moment|right now|anymore|any more|too|as well"
    r"|lately|nowadays|actually|though|instead|recently|a lot|very much|so much|fluently"
    r"|a while ago|(?:\d+|a few|many|some) (?:years|months|weeks|days) ago"
    r"|(?:last|next|this) (?:year|month|week|weekend|summer|winter|spring|fall|autumn))$",
    re.IGNORECASE,
)
_VAGUE = frozenset({"it", "that", "this", "them", "you", "him", "her", "one", "so", "there"})
_PRONOUNS = {"my": "their", "mine": "theirs", "me": "them", "myself": "themselves", "i": "they"}
_CLAUSES = re.compile(r"[.!?;\n]+|,?\s+(?:and|but|so|also|plus)\s+(?=(?:i|my)\b)", re.IGNORECASE)


def _clean(text: str) -> str | None:
    """Trim an object phrase: cut trailing clauses and fillers, swap pronouns."""
    text = _CUT.sub("", text.strip())
    text = text.strip(" \t,:-\"'()")
    while True:
        trimmed = _FILLER.sub("", text).strip(" \t,:-\"'()")
        if trimmed == text:
            break
        text = trimmed
    words = text.split()
    if not words or len(words) > 10 or (len(words) == 1 and words[0].lower() in _VAGUE):
        return None
    return " ".join(_PRONOUNS.get(w.lower(), w) for w in words)


def _topic_categories(phrase: str) -> tuple[str, ...]:
    """Categories for a liked or disliked thing."""
    words = set(re.findall(r"[a-z]+", phrase.lower()))
    if words & _FOODS:
        return ("food_preferences", "preferences")
    first = phrase.split()[0].lower() if phrase.split() else ""
    if first.endswith("ing") or words & _PASTIMES:
        return ("hobbies", "preferences")
    return ("preferences",)


def _key(text: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", text.lower()))


_Builder = Callable[[re.Match[str]], Fact | None]


def _simple(subject: str, categories: tuple[str, ...], template: str) -> _Builder:
    """A rule whose subject is fixed and whose content fills ``{x}``."""

    def build(m: re.Match[str]) -> Fact | None:
        x = _clean(m.group("x"))
        return Fact(subject, categories, template.format(x=x)) if x else None

    return build


def _per_object(prefix: str, categories: tuple[str, ...] | None, template: str) -> _Builder:
    """A rule whose subject is the object itself (``allergy:peanuts``)."""

    def build(m: re.Match[str]) -> Fact | None:
        x = _clean(m.group("x"))
        if not x:
            return None
        cats = categories or _topic_categories(x)
        verb = (m.groupdict().get("v") or "").lower()
        return Fact(f"{prefix}:{_key(x)}", cats, template.format(x=x, v=verb))

    return build


def _favourite(m: re.Match[str]) -> Fact | None:
    x, thing = _clean(m.group("x")), m.group("f").strip().lower()
    if not x or not thing:
        return None
    cats = _topic_categories(thing)
    return Fact(f"favourite:{_key(thing)}", cats, f"User's {m.group('w').lower()} {thing} is {x}")


def _pet(m: re.Match[str]) -> Fact | None:
    kind = m.group("k").lower()
    name = _clean(m.group("n")) if m.group("n") else None
    content = f"User has a {kind}" + (f" named {name}" if name else "")
    return Fact(f"pet:{kind}", ("pets",), content)


def _kin(m: re.Match[str]) -> Fact | None:
    x, who = _clean(m.group("x")), m.group("r").lower()
    return Fact(f"relation:{who}", ("relationships",), f"User's {who} is {x}") if x else None


_RULES: list[tuple[str, _Builder]] = [
    (r"\bmy name is (?P<x>.+)", _simple("name", ("personal_info",), "User's name is {x}")),
    (
        r"\b(?:call me|i go by) (?P<x>.+)",
        _simple("nickname", ("personal_info",), "User goes by {x}"),
    ),
    (
        _I_AM + r"(?P<x>\d{1,3}) years? old",
        _simple("age", ("personal_info",), "User is {x} years old"),
    ),
    (r"\bi was born in (?P<x>.+)", _simple("birth", ("personal_info",), "User was born in {x}")),
    (
        r"\bmy birthday is (?:on )?(?P<x>.+)",
        _simple("birthday", ("personal_info",), "User's birthday is {x}"),
    ),
    (
        r"\bi(?: now|'m| am)? (?:live|living|reside|residing|based|moved|relocated)"
        r" (?:in|to) (?P<x>.+)",
        _simple("residence", ("location",), "User lives in {x}"),
    ),
    (
        _I_AM + r"from (?P<x>.+)",
        _simple("origin", ("location", "personal_info"), "User is from {x}"),
    ),
    (
        _I_AM + r"allergic to (?P<x>.+)",
        _per_object("allergy", ("allergies", "health"), "User is allergic to {x}"),
    ),
    (
        r"\bi have an? (?P<x>.+?) allergy\b",
        _per_object("allergy", ("allergies", "health"), "User is allergic to {x}"),
    ),
    (
        _I_AM
        + r"(?:an? )?(?P<x>vegetarian|vegan|pescatarian|gluten[- ]free|lactose[- ]intolerant)\b",
        _simple("diet", ("food_preferences", "health"), "User is {x}"),
    ),
    (
        r"\bi have (?P<x>diabetes|asthma|celiac disease|coeliac disease|migraines"
        r"|high blood pressure"
        r"|arthritis|adhd|insomnia)\b",
        _per_object("condition", ("health",), "User has {x}"),
    ),
    (r"\bmy (?P<w>favou?rite) (?P<f>[\w ]{1,30}?) (?:is|are) (?P<x>.+)", _favourite),
    (r"\bi work (?:at|for) (?P<x>.+)", _simple("employer", ("work",), "User works at {x}")),
    (r"\bi work as (?P<x>.+)", _simple("occupation", ("work",), "User works as {x}")),
    (r"\bmy job is (?P<x>.+)", _simple("occupation", ("work",), "User's job is {x}")),
    (
        r"\bi(?:'m| am)? (?:study|studying) (?P<x>.+)",
        _simple("studies", ("education",), "User studies {x}"),
    ),
    (
        r"\bi graduated from (?P<x>.+)",
        _simple("alma_mater", ("education",), "User graduated from {x}"),
    ),
    (
        rf"\bi (?:have|own|got) an? (?P<k>{_PETS})(?:\s+(?:named|called)\s+(?P<n>.+))?",
        _pet,
    ),
    (rf"\bmy (?P<r>{_KIN})(?:'s name)? is (?:called |named )?(?P<x>.+)", _kin),
    (
        _I_AM + r"(?P<x>married|single|engaged|divorced|widowed)\b",
        _simple("relationship_status", ("relationships",), "User is {x}"),
    ),
    (r"\bi speak (?P<x>.+)", _simple("languages", ("languages",), "User speaks {x}")),
    (
        _I_AM + r"(?:planning (?:a trip|to travel|to go)|travell?ing|flying|going on a trip)"
        r" to (?P<x>.+)",
        _per_object("trip", ("travel",), "User is planning a trip to {x}"),
    ),
    (r"\bi play (?:the )?(?P<x>.+)", _per_object("plays", ("hobbies",), "User plays {x}")),
    (
        r"\bi (?:don't|do not|never|really don't|really do not) (?:like|enjoy|eat|want) (?P<x>.+)",
        _per_object("opinion", None, "User dislikes {x}"),
    ),
    (
        r"\bi (?:really )?(?:hate|dislike|can't stand|cannot stand|detest) (?P<x>.+)",
        _per_object("opinion", None, "User dislikes {x}"),
    ),
    (
        r"\bi (?:really |also |absolutely )?(?P<v>love|like|enjoy|adore|prefer) (?P<x>.+)",
        _per_object("opinion", None, "User {v}s {x}"),
    ),
]
_COMPILED = [(re.compile(p, re.IGNORECASE), build) for p, build in _RULES]


def _normalize(text: str) -> str:
    return re.sub(r"[ \t]+", " ", text.replace("\u2019", "'").replace("\u2018", "'"))


def extract_facts(texts: Iterable[str]) -> list[Fact]:
    """Facts stated in ``texts`` (user messages, in order); the last word on a subject wins."""
    found: dict[str, Fact] = {}
    for index, text in enumerate(texts):
        for clause in _CLAUSES.split(_normalize(text)):
            for pattern, build in _COMPILED:
                match = pattern.search(clause)
                if match is None:
                    continue
                fact = build(match)
                if fact is not None:
                    found.pop(fact.subject, None)
                    found[fact.subject] = replace(fact, source=index)
                break
    return list(found.values())


def _gist(text: str) -> str:
    """The first sentence of a message with some substance (three words or more)."""
    sentences = [s.strip(" .!?") for s in re.split(r"(?<=[.!?])\s+|\n", text.strip())]
    gist = next((s for s in sentences if len(s.split()) >= 3), sentences[0] if sentences else "")
    return gist if len(gist) <= 120 else gist[:117].rstrip() + "..."


def summarize(user_texts: Sequence[str], facts: Sequence[Fact]) -> str:
    """A short summary of a session: what the user opened with and what was learned."""
    if not user_texts:
        return "The session had no messages from the user."
    opening = "; ".join(_gist(t) for t in user_texts[:3] if t.strip())
    summary = f"The user talked about: {opening}."
    if facts:
        summary += " Learned: " + "; ".join(f.content for f in facts[:8]) + "."
    return summary


_STOP_WORDS = (
    "a an and are as at be been but by can could did do does doing for from had has have having he"
    " her hers him his how i i'm if in into is it its just me my myself no not of on or our so some"
    " such than that the their them then there these they this those to too very was we were what"
    " when where which while who whom why will with would you your yours user users please tell"
    " know think want need like get got about am any also okay ok yes hi hello hey thanks thank"
    " again today now let us"
)
_STOPWORDS = frozenset(_STOP_WORDS.split())


def keywords(texts: Sequence[str], limit: int = 32) -> list[str]:
    """Distinct content words of ``texts``, newest text first, to rank memories by."""
    seen: dict[str, None] = {}
    for text in reversed(texts):
        for word in re.findall(r"[^\W_]+", text.lower()):
            if len(word) > 1 and word not in _STOPWORDS:
                seen.setdefault(word, None)
    return list(seen)[:limit]


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


# -- applying facts to the store ----------------------------------------------------

BOTH_TRUE = "Both are true"


def _new_id() -> str:
    return str(uuid.uuid4())


def _same(a: str, b: str) -> bool:
    return _key(a) == _key(b)


def _supersede(
    store: Store,
    head: Row,
    content: str,
    categories: Sequence[str],
    session_id: str,
    now: str,
    reason: str,
    event_date: str,
    *,
    memory_id: str | None = None,
    conflict_id: str | None = None,
) -> None:
    """Expire a lineage's head and append ``content`` (stated at ``event_date``) after it."""
    store.expire_version(head["pk"], now, reason)
    store.add_version(
        head["lineage_pk"],
        memory_id or _new_id(),
        content,
        session_id,
        now,
        conflict_id,
        event_date=event_date,
    )
    store.update_lineage(head["lineage_pk"], categories=json.dumps(list(categories)))


def _raise_conflict(
    store: Store, user_pk: int, session: Row, head: Row, fact: Fact, now: str, said_at: str
) -> None:
    """Record a PENDING merge conflict between ``head`` and the new ``fact``."""
    if any(
        _same(c["proposed_memory_content"], fact.content)
        for c in store.pending_conflicts_on(head["lineage_pk"])
    ):
        return
    old = head["content"]
    question = f'Which is correct now: "{fact.content}" or "{old}"?'
    conflicting = {
        "memory_id": head["memory_id"],
        "content": old,
        "reason": f"Contradicted by the user's statement in session {session['session_id']}.",
        "event_date_start": head["event_date_start"] or head["created_at"],
        "event_date_end": head["event_date_end"] or head["created_at"],
        "created_at": head["created_at"],
    }
    proposed = {
        "memory_id": _new_id(),
        "content": fact.content,
        "event_date_start": said_at,
        "event_date_end": said_at,
        "created_at": now,
    }
    conflict_pk = store.add_conflict(
        conflict_id=_new_id(),
        user_pk=user_pk,
        session_pk=session["pk"],
        session_id=session["session_id"],
        lineage_pk=head["lineage_pk"],
        subject=fact.subject,
        categories=json.dumps(list(fact.categories)),
        status="PENDING",
        proposed_memory_content=fact.content,
        new_memories=json.dumps([proposed]),
        conflicting_memories=json.dumps([conflicting]),
        clarifying_questions=json.dumps(
            [{"question": question, "options": [fact.content, old, BOTH_TRUE]}]
        ),
        created_at=now,
    )
    store.update_lineage(head["lineage_pk"], conflict_pk=conflict_pk)


def process_session(store: Store, session_pk: int, now: str, merge_default: bool) -> None:
    """Turn a processing session's user messages into memories and a summary; mark it processed.

    Call inside a store transaction.
    """
    session = store.session_by_pk(session_pk)
    if session is None or session["status"] != "processing":
        return
    user = store.user_by_pk(session["user_pk"])
    assert user is not None
    flag = user["merge_conflict_enabled"]
    merge = merge_default if flag is None else bool(flag)
    messages, _ = store.messages(session_pk, 0, -1)
    said = [m for m in messages if m["role"] == "user"]
    user_texts = [m["content"] for m in said]
    facts = extract_facts(user_texts)
    session_id = session["session_id"]
    touched: list[tuple[int, tuple[str, ...]]] = []
    for fact in facts:
        said_at = said[fact.source]["timestamp"]  # no date stated: when it was said
        current = store.current_memories_about(user["pk"], fact.subject)
        if any(_same(c["content"], fact.content) for c in current):
            continue
        if not current:
            lineage_pk = store.add_lineage(
                user["pk"], fact.subject, json.dumps(list(fact.categories))
            )
            store.add_version(
                lineage_pk, _new_id(), fact.content, session_id, now, event_date=said_at
            )
            touched.append((lineage_pk, fact.categories))
        elif merge:
            _raise_conflict(store, user["pk"], session, current[0], fact, now, said_at)
        else:
            reason = "NEW_INFORMATION"  # an expiration code, as the spec documents
            _supersede(
                store, current[0], fact.content, fact.categories, session_id, now, reason, said_at
            )
            touched.append((current[0]["lineage_pk"], fact.categories))
    for i, (a, cats_a) in enumerate(touched):
        for b, cats_b in touched[i + 1 :]:
            if set(cats_a) & set(cats_b):
                store.link(a, b)
    store.put_summary(session_pk, user["pk"], session_id, summarize(user_texts, facts), now)
    store.update_session(session_pk, status="processed")


def resolve_conflict(
    store: Store, conflict: Row, choice: str, answers: list[dict[str, str]], now: str
) -> None:
    """Apply the answer ``choice`` to a PENDING conflict and mark it RESOLVED.

    Call inside a store transaction, after checking the answers.
    """
    proposed = json.loads(conflict["new_memories"])[0]
    categories = json.loads(conflict["categories"])
    session_id, conflict_id = conflict["session_id"], conflict["conflict_id"]
    head = store.head(conflict["lineage_pk"]) if conflict["lineage_pk"] is not None else None
    if choice == BOTH_TRUE or (
        choice == proposed["content"] and (head is None or head["expired_at"])
    ):
        lineage_pk = store.add_lineage(
            conflict["user_pk"], conflict["subject"], json.dumps(categories)
        )
        store.add_version(
            lineage_pk,
            proposed["memory_id"],
            proposed["content"],
            session_id,
            now,
            conflict_id,
            event_date=proposed.get("event_date_start") or now,
        )
        applied = "kept_both_memories" if choice == BOTH_TRUE else "created_new_memory"
    elif choice == proposed["content"]:
        assert head is not None
        head_with_lineage = {**dict(head), "lineage_pk": conflict["lineage_pk"]}
        reason = "MERGE_CONFLICT"  # the code 0.6.6 documents; the successor names the conflict
        _supersede(
            store,
            head_with_lineage,  # type: ignore[arg-type]
            proposed["content"],
            categories,
            session_id,
            now,
            reason,
            proposed.get("event_date_start") or now,
            memory_id=proposed["memory_id"],
            conflict_id=conflict_id,
        )
        applied = "replaced_existing_memory"
    else:
        applied = "kept_existing_memory"
    resolution = {"answers": answers, "applied": applied}
    store.update_conflict(
        conflict["pk"], status="RESOLVED", resolved_at=now, resolution_data=json.dumps(resolution)
    )
    if conflict["lineage_pk"] is not None:
        others = store.pending_conflicts_on(conflict["lineage_pk"])
        store.update_lineage(
            conflict["lineage_pk"], conflict_pk=others[-1]["pk"] if others else None
        )


def delete_session(store: Store, session: Row) -> None:
    """Delete a session with its messages, summary, conflicts and the memory versions it made.

    A memory that the session had superseded becomes current again. Call inside a transaction.
    """
    heads_before: dict[int, int] = {}
    for version in store.versions_of_session(session["session_id"]):
        head = store.head(version["lineage_pk"])
        heads_before.setdefault(version["lineage_pk"], head["pk"] if head else 0)
        store.delete_version(version["pk"])
    for lineage_pk, old_head in heads_before.items():
        head = store.head(lineage_pk)
        if head is None:
            store.delete_lineage(lineage_pk)
        elif head["pk"] != old_head and head["expired_at"] is not None:
            store.expire_version(head["pk"], None, None)
    store.delete_session(session["pk"])


def delete_memory(store: Store, version: Row, delete_previous_versions: bool) -> None:
    """Delete one version of a memory, with every earlier one if asked (later ones stay).

    As 0.6.6 documents ``delete_memory`` (recallrai/user.py:449-452). Call inside a transaction.
    """
    doomed = [version]
    if delete_previous_versions:
        doomed = [v for v in store.versions(version["lineage_pk"]) if v["pk"] <= version["pk"]]
    for row in doomed:
        store.delete_version(row["pk"])
    if store.head(version["lineage_pk"]) is None:
        store.delete_lineage(version["lineage_pk"])


# -- recall -------------------------------------------------------------------------------


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


def _fts_query(words: Sequence[str]) -> str:
    return " OR ".join(f'"{w}"' for w in words)


def recall(
    store: Store, session: Row, options: RecallOptions, now: datetime, zone: tzinfo, zone_name: str
) -> Recall:
    """Rank the user's memories and summaries against the session's recent messages."""
    user_pk = session["user_pk"]
    recent = store.last_messages_of_session(session["pk"], max(10, options.last_n_messages or 0))
    words = keywords([m["content"] for m in recent[-10:]])
    match = _fts_query(words)

    # The ranking: matches by relevance (BM25 over the best match's), ties newest first,
    # then the memories that do not match (relevance 0), newest first.
    top = options.max_top_k
    matched = store.rank_memories(user_pk, match, top) if words else []

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
        summaries = store.rank_summaries(user_pk, match, options.summaries_threshold, limit)
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
