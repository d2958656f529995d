"""The memory inspector in a real Chromium: click through every view, resolve a conflict.

The data is made through the SDK on a loopback local server; the page is checked
for what it shows, and the server for what the page did.
"""

from __future__ import annotations

import json
import re
from typing import Any

from playwright.sync_api import expect

from recallrai.models import MergeConflictStatus

from .conftest import API_KEY, Inspector, shoot
from .seed import seed_memories, wait_processed


def ready(page: Any) -> None:
    """Wait until the view has rendered (the router clears aria-busy when done)."""
    expect(page.locator("main")).to_have_attribute("aria-busy", "false")


def test_click_through_users_sessions_memories_versions_and_resolve_a_conflict(
    page: Any, inspector: Inspector
) -> None:
    data, client = inspector.data, inspector.client
    page.goto(inspector.server.url)

    # Users: paged, searchable.
    expect(page.get_by_role("heading", name="Users", level=1)).to_be_visible()
    ready(page)
    expect(page.locator(".pager .count")).to_have_text("Showing 1\N{EN DASH}25 of 31")
    shoot(page, "01-users")
    page.get_by_label("Search user id or metadata").fill("ALI")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"#/users\?q=ALI$"))
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("alice")
    page.get_by_label("Search user id or metadata").fill("")
    page.get_by_label("Metadata filter (JSON)").fill('{"plan": "pro"}')
    page.get_by_role("button", name="Apply").click()
    expect(page.locator(".pager .count")).to_have_text("Showing 1\N{EN DASH}16 of 16")  # 15 + alice
    page.get_by_role("link", name="alice", exact=True).click()

    # A user: sessions with status and message counts.
    expect(page.get_by_role("heading", level=1)).to_have_text("User alice")
    sessions = page.locator("main table tbody tr")
    expect(sessions).to_have_count(2)
    first = page.locator("tr", has=page.get_by_role("link", name=data.first_session))
    expect(first.locator("td").nth(1)).to_have_text("processed")
    expect(first.locator("td").nth(2)).to_have_text("3")
    second = page.locator("tr", has=page.get_by_role("link", name=data.second_session))
    expect(second.locator("td").nth(2)).to_have_text("1")
    expect(page.get_by_role("link", name="Merge conflicts (1 pending)")).to_be_visible()
    shoot(page, "02-user-sessions")

    # A session's messages.
    page.get_by_role("link", name=data.first_session).click()
    messages = page.locator("ol.messages li")
    expect(messages).to_have_count(3)
    expect(messages.nth(0)).to_contain_text("I live in Berlin")
    expect(messages.nth(1)).to_contain_text("assistant")
    shoot(page, "03-session-messages")

    # Memories: current only, then with earlier versions, then a category filter.
    page.get_by_role("link", name="User alice").click()
    page.get_by_role("link", name=re.compile(r"^Memories \(")).click()
    table = page.locator("table.memories tbody tr")
    expect(table).to_have_count(5)
    globex = page.locator("tr", has=page.get_by_role("link", name="User works at Globex"))
    expect(globex).to_contain_text("v2 of 2")
    expect(globex.locator("ul.versions")).to_have_count(0)
    page.get_by_label("with earlier versions").check()
    page.get_by_role("button", name="Apply").click()
    expect(globex.locator("ul.versions")).to_contain_text("v1: User works at Acme")
    pending = page.locator("tr", has_text="User lives in Berlin").get_by_role("link")
    expect(pending.filter(has_text="merge conflict pending")).to_have_attribute(
        "href", f"#/users/alice/conflicts/{data.conflict_id}"
    )
    shoot(page, "04-memories-all-versions")
    page.get_by_role("button", name="location", exact=True).click()
    expect(table).to_have_count(1)
    expect(table.first).to_contain_text("User lives in Berlin")
    expect(page).to_have_url(re.compile(r"category=location"))
    page.go_back()
    expect(table).to_have_count(5)

    # The version chain as a timeline: what replaced what, when, why.
    page.get_by_role("link", name="User works at Globex").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("User works at Globex")
    steps = page.locator("ol.timeline > li")
    expect(steps).to_have_count(2)
    expect(steps.nth(0)).to_contain_text("Version 1")
    expect(steps.nth(0)).to_contain_text("User works at Acme")
    expect(steps.nth(0).locator(".why")).to_contain_text("Replaced by version 2")
    expect(steps.nth(0).locator(".why")).to_contain_text("merge conflict")
    expect(steps.nth(1)).to_contain_text("current")
    shoot(page, "05-memory-version-chain")

    # Connected memories link to each other.
    page.go_back()
    page.get_by_role("link", name="User's favourite food is sushi").click()
    connected = page.get_by_role("link", name="User loves pizza")
    expect(connected).to_be_visible()
    connected.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("User loves pizza")
    expect(page.get_by_role("link", name="User's favourite food is sushi")).to_be_visible()

    # The merge conflict: an invalid resolve is refused inline, a valid one applies.
    page.get_by_role("link", name="User alice").click()
    page.get_by_role("link", name="Merge conflicts (1 pending)").click()
    expect(page.locator("main table tbody tr")).to_have_count(2)  # one resolved, one pending
    page.get_by_label("Status").select_option("PENDING")
    expect(page.locator("main table tbody tr")).to_have_count(1)
    shoot(page, "06-conflicts")
    page.get_by_role("link", name="User lives in Paris").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merge conflict")
    expect(page.locator(".conflict-side").nth(1)).to_contain_text("User lives in Berlin")
    question = page.locator("fieldset.question")
    expect(question.locator("legend")).to_contain_text("Which is correct now")
    expect(question.get_by_role("radio")).to_have_count(3)
    shoot(page, "06-conflict-pending")

    page.get_by_role("button", name="Resolve").click()  # nothing chosen: the SDK refuses
    expect(page.locator("#resolve-error")).to_contain_text("MergeConflict")
    expect(question.locator(".field-error")).not_to_be_empty()
    conflict = client.get_user("alice").get_merge_conflict(data.conflict_id)
    assert conflict.status is MergeConflictStatus.PENDING
    shoot(page, "07-conflict-error")

    question.get_by_label("User lives in Paris").check()
    question.get_by_label("Why (optional, kept with the answer)").fill("Moved in May")
    page.get_by_role("button", name="Resolve").click()
    expect(page.locator(".success")).to_contain_text("Resolved")
    expect(page.locator("dl.facts .badge")).to_have_text("RESOLVED")
    expect(page.get_by_role("button", name="Resolve")).to_have_count(0)
    shoot(page, "08-conflict-resolved")

    conflict.refresh()
    assert conflict.status is MergeConflictStatus.RESOLVED
    assert conflict.resolution_data is not None
    (answer,) = conflict.resolution_data["answers"]
    assert answer["answer"] == "User lives in Paris"
    assert answer["message"] == "Moved in May"
    user = client.get_user("alice")
    current = {m.content for m in user.list_memories(include_previous_versions=False)}
    assert "User lives in Paris" in current and "User lives in Berlin" not in current

    # ...and the page's timeline of that memory shows Berlin replaced by Paris.
    page.get_by_role("link", name="See the memory's version history").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("User lives in Paris")
    expect(page.locator("ol.timeline > li").nth(0)).to_contain_text("User lives in Berlin")

    assert_key_never_shown(page)


def test_context_preview_shows_what_get_context_returns_and_highlights_what_it_used(
    page: Any, inspector: Inspector
) -> None:
    data, client = inspector.data, inspector.client
    user = client.get_user("alice")
    later = user.create_session(auto_process_after_seconds=1800)
    later.add_message("user", "I love hiking. I love jazz. I play chess. I speak Italian.")
    wait_processed(later)
    session = user.get_session(data.second_session)
    expected = session.get_context(include_system_prompt=False, include_metadata_ids=True)
    assert expected.metadata is not None and expected.metadata.memory_ids

    page.goto(f"{inspector.server.url}#/users/alice/sessions/{data.second_session}/context")
    expect(page.get_by_role("heading", level=1)).to_have_text("Context preview")
    text = page.locator("#context-text")
    expect(text).to_contain_text("## What you remember about the user")
    # The same recall as the SDK's, line for line (the first line is the current time).
    assert text.inner_text().splitlines()[1:] == expected.context.splitlines()[1:]
    used = page.locator("#used-memories li")
    expect(used).to_have_count(len(expected.metadata.memory_ids))
    highlighted = page.locator("table.memories tr.used")
    expect(highlighted).to_have_count(len(expected.metadata.memory_ids))
    ids = highlighted.evaluate_all("rows => rows.map(r => r.dataset.memoryId)")
    assert sorted(ids) == sorted(expected.metadata.memory_ids)
    expect(page.locator("#used-sessions li")).to_have_count(
        len(expected.metadata.session_ids or [])
    )
    shoot(page, "09-context-preview")

    # The controls are the SDK's arguments; its validation answers inline.
    page.get_by_label("Recall strategy").select_option("low_latency")
    page.get_by_label("min top-k").fill("5")
    page.get_by_label("max top-k").fill("10")
    page.get_by_label("Memories threshold").fill("0.8")
    page.get_by_role("button", name="Preview").click()
    expect(page).to_have_url(re.compile(r"recall_strategy=low_latency.*min_top_k=5&max_top_k=10"))
    expect(page.locator("dl.facts")).to_contain_text("low_latency")
    narrow = session.get_context(
        recall_strategy="low_latency",
        min_top_k=5,
        max_top_k=10,
        memories_threshold=0.8,
        include_system_prompt=False,
        include_metadata_ids=True,
    )
    assert narrow.metadata is not None and narrow.metadata.memory_ids
    expect(used).to_have_count(len(narrow.metadata.memory_ids))
    expect(highlighted).to_have_count(len(narrow.metadata.memory_ids))
    assert page.locator("table.memories tbody tr").count() > len(narrow.metadata.memory_ids)
    shoot(page, "10-context-preview-narrowed")

    page.get_by_label("min top-k").fill("60")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".error")).to_contain_text("min_top_k must be between 5 and 50")
    shoot(page, "11-context-error")
    assert_key_never_shown(page)


def test_thousands_of_memories_and_users_are_paged(page: Any, inspector: Inspector) -> None:
    last_session = seed_memories(inspector.client, "many", 230)
    page.goto(f"{inspector.server.url}#/users/many/memories")
    rows = page.locator("table.memories tbody tr")
    expect(rows).to_have_count(50)
    count = page.locator(".pager .count")
    expect(count).to_have_text("Showing 1\N{EN DASH}50 of 230")
    page.get_by_role("button", name="Next →").click()
    expect(count).to_have_text("Showing 51\N{EN DASH}100 of 230")
    expect(page).to_have_url(re.compile(r"offset=50"))
    page.get_by_role("spinbutton", name="Page").fill("5")
    page.get_by_role("button", name="Go").click()
    expect(count).to_have_text("Showing 201\N{EN DASH}230 of 230")
    expect(rows).to_have_count(30)
    expect(page.get_by_role("button", name="Next →")).to_be_disabled()
    shown = set(rows.locator("td:first-child a").all_inner_texts())
    assert len(shown) == 30 and all(t.startswith("User loves thing") for t in shown)
    page.reload()  # the page is in the URL
    expect(count).to_have_text("Showing 201\N{EN DASH}230 of 230")
    page.get_by_role("button", name="← Previous").click()
    expect(count).to_have_text("Showing 151\N{EN DASH}200 of 230")

    # The context preview pages through all memories, the used ones marked on each page.
    page.goto(f"{inspector.server.url}#/users/many/sessions/{last_session}/context?min_top_k=5")
    expect(count).to_have_text("Showing 1\N{EN DASH}50 of 230")
    used = page.locator("#used-memories li")
    expect(used).not_to_have_count(0)
    n_used = used.count()
    page.get_by_role("button", name="Next →").click()
    expect(count).to_have_text("Showing 51\N{EN DASH}100 of 230")
    expect(page).to_have_url(re.compile(r"min_top_k=5.*memories_offset=50"))
    expect(used).to_have_count(n_used)  # the same recall, another page of the list

    page.goto(f"{inspector.server.url}#/users")
    expect(page.locator(".pager .count")).to_have_text("Showing 1\N{EN DASH}25 of 32")
    page.get_by_role("button", name="Next →").click()
    expect(page.locator(".pager .count")).to_have_text("Showing 26\N{EN DASH}32 of 32")
    expect(page.get_by_role("link", name="many", exact=True)).to_be_visible()


def test_every_view_is_reachable_by_keyboard(page: Any, inspector: Inspector) -> None:
    page.goto(inspector.server.url)
    ready(page)
    # The view's heading has focus; the next Tab reaches the search box.
    expect(page.locator(":focus")).to_have_text("Users")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_attribute("id", "users-q")
    page.keyboard.type("alice")
    page.keyboard.press("Enter")
    expect(page.locator("main table tbody tr")).to_have_count(1)
    page.locator("main table tbody a").first.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("User alice")
    # After a navigation the heading has focus, so a screen reader announces the view.
    expect(page.locator(":focus")).to_have_text("User alice")
    for _ in range(40):  # tab forward to the Memories tab and open it
        page.keyboard.press("Tab")
        if (page.evaluate("document.activeElement.textContent") or "").startswith("Memories ("):
            break
    page.keyboard.press("Enter")
    expect(page.locator("table.memories tbody tr")).to_have_count(5)
    # The first Tab stop of the page is a skip link to the content.
    page.mouse.click(2, 2)  # moves the focus starting point into the header
    page.keyboard.press("Shift+Tab")
    expect(page.locator(":focus")).to_have_text("Skip to content")
    page.keyboard.press("Enter")
    expect(page.locator(":focus")).to_have_attribute("id", "main")
    # Every form control has a label.
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('input, select, textarea')]
              .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
              .map(e => e.outerHTML)"""
    )
    assert unlabelled == []


LOW_CONTRAST = r"""() => {
  const channel = (v) => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const parse = (s) => {
    const m = s.match(/rgba?\(([^)]+)\)/);
    if (!m) throw new Error("unparsed colour " + s);
    const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number);
    return { rgb: p.slice(0, 3), alpha: p.length > 3 ? p[3] : 1 };
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c.alpha > 0) return c.rgb;
    }
    return [255, 255, 255];
  };
  const low = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || el.closest(".visually-hidden, .skip, noscript")) continue;
    const style = getComputedStyle(el);
    const a = luminance(parse(style.color).rgb), b = luminance(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight, 10) >= 700;
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < needed) low.push(`${n.textContent.trim().slice(0, 40)}: ${ratio.toFixed(2)}`);
  }
  return low;
}"""


def test_text_contrast_meets_wcag_aa_in_every_view(page: Any, inspector: Inspector) -> None:
    data = inspector.data
    memory = inspector.client.get_user("alice").list_memories().items[0].memory_id
    views = [
        "#/users",
        "#/users/alice",
        f"#/users/alice/sessions/{data.first_session}",
        "#/users/alice/memories?versions=all",
        f"#/users/alice/memories/{memory}",
        "#/users/alice/conflicts",
        f"#/users/alice/conflicts/{data.conflict_id}",
        f"#/users/alice/sessions/{data.second_session}/context",
    ]
    for view in views:
        page.goto(inspector.server.url + view)
        ready(page)
        expect(page.locator("main h1")).to_be_visible()
        assert page.evaluate(LOW_CONTRAST) == [], view
    # The check itself finds low contrast when there is some.
    page.evaluate(
        "() => { const p = document.createElement('p'); p.textContent = 'faint';"
        " p.style.color = '#aaaaaa'; document.querySelector('main').append(p); }"
    )
    assert page.evaluate(LOW_CONTRAST) == ["faint: 2.32"]


def test_values_are_shown_as_text_never_as_html(page: Any, inspector: Inspector) -> None:
    client = inspector.client
    hostile = '<img src=x onerror="window.pwned=1">'
    user = client.create_user("<b>x</b>", metadata={"note": hostile})
    session = user.create_session()
    session.add_message("user", hostile)
    page.goto(inspector.server.url + "#/users?q=" + "%3Cb%3E")
    expect(page.get_by_role("link", name="<b>x</b>")).to_be_visible()
    page.get_by_role("link", name="<b>x</b>").click()
    page.get_by_role("link", name=session.session_id).click()
    expect(page.locator("ol.messages li")).to_contain_text(hostile)
    assert page.evaluate("window.pwned") is None
    assert page.locator("main img").count() == 0


def test_a_missing_user_shows_a_json_error_in_the_page(page: Any, inspector: Inspector) -> None:
    page.goto(inspector.server.url + "#/users/nobody-here")
    expect(page.locator(".error")).to_contain_text("UserNotFoundError")
    expect(page.get_by_role("heading", level=1)).to_have_text("Could not load this view")


def test_token_is_needed_once_then_kept_in_an_httponly_cookie(
    page: Any, browser_context: Any, inspector: Inspector
) -> None:
    from recallrai.ui import InspectorServer

    token = "t0ken-for-the-browser-test-123456"
    with InspectorServer(inspector.client, token=token) as server:
        answer = page.goto(server.url)
        assert answer is not None and answer.status == 401
        assert json.loads(page.inner_text("body"))["error"]["type"] == "TokenRequired"
        page.goto(server.login_url)
        expect(page.get_by_role("heading", name="Users", level=1)).to_be_visible()
        assert "token" not in page.url  # moved out of the address bar
        name = f"recallrai_inspector_{server.port}"  # one per port: two inspectors coexist
        cookie = next(c for c in browser_context.cookies() if c["name"] == name)
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        assert page.evaluate("document.cookie") == ""  # scripts cannot read it
        page.get_by_role("link", name="user-0000", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("User user-0000")


def assert_key_never_shown(page: Any) -> None:
    """The API key is nowhere the browser can see: page, requests, answers, storage, console."""
    watch = page.watch
    assert watch.requests, "no requests were recorded"
    storage = page.evaluate(
        "() => JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage),"
        " document.cookie, location.href, document.documentElement.outerHTML])"
    )
    cookies = json.dumps(page.context.cookies())
    seen = [page.content(), storage, cookies, *watch.requests, *watch.bodies, *watch.console]
    for text in seen:
        assert API_KEY not in text
        assert "SECRET_3f9d" not in text
    assert watch.errors == []
    assert not [line for line in watch.console if "error" in line.lower()]
