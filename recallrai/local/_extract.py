"""Facts from first-person statements, without an LLM: the extraction room.

``extract_facts`` reads a user's message and finds statements such as "I live
in Berlin" or "My favourite food is sushi"; each becomes a :class:`Fact` with a
*subject* (two facts on one subject contradict each other unless equal), its
categories from :data:`CATEGORIES`, and a third-person content ("User lives in
Berlin"). ``summarize`` writes a session's summary and ``keywords`` the words
recall ranks by. Every function here costs time linear in its input.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

__all__ = ["CATEGORIES", "Fact", "extract_facts", "fact_key", "keywords", "summarize"]

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


@dataclass(frozen=True)
class Fact:
    """One thing learned about the user."""

    subject: str
    categories: tuple[str, ...]
    content: str


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


def fact_key(text: str) -> str:
    """A fact's content or object reduced to its lower-cased words, for comparing."""
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
        return Fact(f"{prefix}:{fact_key(x)}", cats, template.format(x=x, v=verb))

    return build


def _favourite(m: re.Match[str]) -> Fact | None:
    x, thing = _clean(m.group("x")), m.group("f").strip().lower()
    if not x or not thing:
        return None
    cats = _topic_categories(thing)
    return Fact(
        f"favourite:{fact_key(thing)}", cats, f"User's {m.group('w').lower()} {thing} is {x}"
    )


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


MAX_CLAUSE = 2_000
"""Longer clauses are read in windows of this many characters (a fact needs far fewer)."""


def _normalize(text: str) -> str:
    return re.sub(r"[ \t]+", " ", text.replace("\u2019", "'").replace("\u2018", "'"))


def _clauses(text: str) -> Iterator[str]:
    """The clauses of ``text``; an overlong one in windows cut at whitespace."""
    for clause in _CLAUSES.split(_normalize(text)):
        while len(clause) > MAX_CLAUSE:
            cut = clause.rfind(" ", 0, MAX_CLAUSE)
            cut = cut if cut > 0 else MAX_CLAUSE
            yield clause[:cut]
            clause = clause[cut:]
        yield clause


def extract_facts(text: str, stop: Callable[[], bool] | None = None) -> list[Fact]:
    """Facts stated in one message, in order; the last word on a subject wins.

    ``stop`` is asked every few hundred clauses; when it answers True, extraction ends
    early with what it found so far.
    """
    found: dict[str, Fact] = {}
    for n, clause in enumerate(_clauses(text)):
        if stop is not None and n % 256 == 255 and stop():
            break
        for pattern, build in _COMPILED:
            match = pattern.search(clause)
            if match is None:
                continue
            fact = build(match)
            if fact is not None:
                found.pop(fact.subject, None)
                found[fact.subject] = fact
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
    """Distinct content words of ``texts``, newest text first, to rank memories by.

    Reads only as far as it needs to find ``limit`` words.
    """
    seen: dict[str, None] = {}
    for text in reversed(texts):
        for found in re.finditer(r"[^\W_]+", text):
            word = found.group().lower()
            if len(word) > 1 and word not in _STOPWORDS:
                seen.setdefault(word, None)
                if len(seen) >= limit:
                    return list(seen)
    return list(seen)
