// RecallrAI memory inspector. Vanilla JS, no build step, no network beyond this server.
// Every value from the API is put on the page as text (never as HTML).
"use strict";

const CSRF = document.querySelector('meta[name="csrf-token"]').content;
const main = document.getElementById("main");
const crumbs = document.getElementById("crumbs");
const live = document.getElementById("live");
const where = document.getElementById("where");

const SESSION_STATUSES = ["pending", "processing", "processed", "failed", "insufficient_balance"];
const CONFLICT_STATUSES = ["PENDING", "IN_QUEUE", "RESOLVING", "RESOLVED", "FAILED"];
const STRATEGIES = ["low_latency", "balanced", "agentic", "auto"];

// -- DOM helpers ----------------------------------------------------------------------

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

function when(iso) {
  if (!iso) return "—";
  return iso.replace("T", " ").replace(/\.\d+/, "").replace(/(Z|\+00:00)$/, "") + " UTC";
}

function json(value, max) {
  const text = value && Object.keys(value).length ? JSON.stringify(value) : "";
  if (!max || text.length <= max) return text;
  return text.slice(0, max - 1) + "…";
}

function shortId(id) {
  return id && id.length > 13 ? id.slice(0, 8) + "…" : id || "";
}

function badge(text, kind) {
  return h("span", { class: "badge " + (kind || text) }, text);
}

function field(label, control, hint) {
  const id = control.id;
  return h("div", { class: "field" },
    h("label", { for: id }, label), control,
    hint ? h("span", { class: "hint", id: id + "-hint" }, hint) : null);
}

function announce(text) {
  live.textContent = "";
  setTimeout(() => { live.textContent = text; }, 30);
}

// -- routes and API ---------------------------------------------------------------------

function route() {
  const raw = location.hash.replace(/^#/, "") || "/users";
  const cut = raw.indexOf("?");
  const path = cut < 0 ? raw : raw.slice(0, cut);
  const params = new URLSearchParams(cut < 0 ? "" : raw.slice(cut + 1));
  const segments = path.split("/").filter(Boolean).map(decodeURIComponent);
  return { segments, params };
}

function href(segments, params) {
  const path = "#/" + segments.map(encodeURIComponent).join("/");
  const query = params ? new URLSearchParams(
    Object.entries(params).flatMap(([k, v]) =>
      (Array.isArray(v) ? v : [v]).filter((x) => x !== "" && x !== null && x !== undefined)
        .map((x) => [k, String(x)]))).toString() : "";
  return query ? path + "?" + query : path;
}

function go(segments, params) {
  location.hash = href(segments, params);
}

class ApiFailure extends Error {
  constructor(status, error) {
    super(error.message || "request failed");
    this.status = status;
    this.error = error;
  }
}

async function request(path, options) {
  let response;
  try {
    response = await fetch("/api/" + path, { credentials: "same-origin", ...options });
  } catch (e) {
    throw new ApiFailure(0, { type: "NetworkError", message: "the inspector is not reachable" });
  }
  let body;
  try {
    body = await response.json();
  } catch (e) {
    body = { error: { type: "BadResponse", message: "the inspector answered something other than JSON" } };
  }
  if (!response.ok) throw new ApiFailure(response.status, body.error || {});
  return body;
}

function get(segments, params) {
  const path = segments.map(encodeURIComponent).join("/");
  const query = params ? "?" + params.toString() : "";
  return request(path + query, { headers: { Accept: "application/json" } });
}

function post(segments, payload) {
  return request(segments.map(encodeURIComponent).join("/"), {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json", "X-Inspector-CSRF": CSRF },
    body: JSON.stringify(payload),
  });
}

function errorBox(error) {
  const e = error instanceof ApiFailure ? error.error : { type: "Error", message: String(error) };
  return h("div", { class: "error", role: "alert" }, h("strong", {}, e.type || "Error"), ": ", e.message);
}

function params(source, names) {
  const out = new URLSearchParams();
  for (const name of names) for (const v of source.getAll(name)) if (v !== "") out.append(name, v);
  return out;
}

// -- shared pieces --------------------------------------------------------------------

function setCrumbs(items) {
  crumbs.replaceChildren(...items.map(([label, link], i) => h("li", {},
    i === items.length - 1 ? h("span", { "aria-current": "page" }, label) : h("a", { href: link }, label))));
}

function userCrumbs(userId, extra) {
  return [["Users", "#/users"], ["User " + userId, href(["users", userId])], ...(extra || [])];
}

function tabs(userId, current, counts) {
  const c = counts || {};
  const item = (key, label, segs) => h("li", {}, h("a", {
    href: href(["users", userId, ...segs]), "aria-current": key === current ? "page" : null,
  }, label));
  return h("ul", { class: "tabs", "aria-label": "User views" },
    item("sessions", "Sessions" + (c.sessions !== undefined ? ` (${c.sessions})` : ""), []),
    item("memories", "Memories" + (c.memories !== undefined ? ` (${c.memories})` : ""), ["memories"]),
    item("conflicts", "Merge conflicts" + (c.pending_conflicts !== undefined ? ` (${c.pending_conflicts} pending)` : ""), ["conflicts"]));
}

// A pager over offset/limit pages: "Showing 51–100 of 10,000", previous/next, jump to page.
function pager(page, onOffset, label) {
  const { offset, limit, total, items } = page;
  const pages = Math.max(1, Math.ceil(total / limit));
  const current = Math.floor(offset / limit) + 1;
  const first = items.length ? offset + 1 : 0;
  const last = offset + items.length;
  const id = "page-" + (label || "list").replace(/\W+/g, "-");
  const count = h("span", { class: "count" },
    `Showing ${first.toLocaleString("en")}–${last.toLocaleString("en")} of ${total.toLocaleString("en")}`);
  if (pages <= 1 && offset === 0) return h("div", { class: "pager" }, count);
  const input = h("input", { type: "number", id, min: 1, max: pages, value: current });
  return h("nav", { class: "pager", "aria-label": (label || "List") + " pages" }, count,
    h("button", { type: "button", class: "secondary", disabled: offset <= 0, onclick: () => onOffset(Math.max(0, offset - limit)) }, "← Previous"),
    h("button", { type: "button", class: "secondary", disabled: !(page.has_more && last < total), onclick: () => onOffset(offset + limit) }, "Next →"),
    h("form", { onsubmit: (ev) => { ev.preventDefault(); const n = Math.min(pages, Math.max(1, parseInt(input.value, 10) || 1)); onOffset((n - 1) * limit); } },
      h("label", { for: id }, "Page "), input, ` of ${pages.toLocaleString("en")} `,
      h("button", { type: "submit", class: "secondary" }, "Go")));
}

function sessionLink(userId, sessionId) {
  return sessionId ? h("a", { href: href(["users", userId, "sessions", sessionId]), class: "mono", title: sessionId }, shortId(sessionId)) : "—";
}

// -- views ----------------------------------------------------------------------------

async function viewUsers(r) {
  const p = r.params;
  setCrumbs([["Users", "#/users"]]);
  const q = h("input", { type: "search", id: "users-q", class: "wide", value: p.get("q") || "", placeholder: "alice" });
  const filter = h("input", { type: "text", id: "users-filter", class: "wide mono", value: p.get("metadata_filter") || "", placeholder: '{"plan": "pro"}', "aria-describedby": "users-filter-hint" });
  const form = h("form", { class: "controls", role: "search", onsubmit: (ev) => {
    ev.preventDefault();
    go(["users"], { q: q.value.trim(), metadata_filter: filter.value.trim() });
  } },
    field("Search user id or metadata", q),
    field("Metadata filter (JSON)", filter, "exact match on metadata fields, done by the API"),
    h("button", { type: "submit" }, "Apply"));
  const out = [h("h1", { tabindex: "-1" }, "Users"), form];
  const data = await get(["users"], params(p, ["q", "metadata_filter", "offset", "limit"]));
  const rows = data.items.map((u) => h("tr", {},
    h("td", {}, h("a", { href: href(["users", u.user_id]) }, u.user_id)),
    h("td", {}, when(u.created_at)),
    h("td", {}, when(u.last_active_at)),
    h("td", { class: "mono", title: json(u.metadata) }, json(u.metadata, 90) || h("span", { class: "muted" }, "—")),
    h("td", {}, u.merge_conflict_enabled ? "on" : u.merge_conflict_enabled === false ? "off" : "default")));
  const table = h("table", {},
    h("caption", { class: "visually-hidden" }, "Users"),
    h("thead", {}, h("tr", {}, ["User id", "Created", "Last active", "Metadata", "Merge conflicts"].map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, rows.length ? rows : h("tr", {}, h("td", { colspan: 5, class: "muted" }, "No users match."))));
  out.push(table);
  const base = { q: p.get("q") || "", metadata_filter: p.get("metadata_filter") || "" };
  if (data.search !== undefined) {
    out.push(h("div", { class: "pager" },
      h("span", { class: "count" }, `${data.items.length} match${data.items.length === 1 ? "" : "es"} among users ${(data.offset + 1).toLocaleString("en")}–${data.scanned_to.toLocaleString("en")} of ${data.total.toLocaleString("en")}`),
      data.offset > 0 ? h("a", { href: href(["users"], base) }, "From the start") : null,
      data.has_more ? h("a", { class: "button", href: href(["users"], { ...base, offset: data.scanned_to }) }, "Search further →") : h("span", { class: "muted" }, "Searched to the end.")));
  } else {
    out.push(pager(data, (o) => go(["users"], { ...base, offset: o }), "Users"));
  }
  return out;
}

async function userHeader(userId, current) {
  const data = await get(["users", userId]);
  const u = data.user;
  return [
    h("h1", { tabindex: "-1" }, "User ", h("span", { class: "mono" }, u.user_id)),
    h("dl", { class: "facts" },
      h("dt", {}, "Created"), h("dd", {}, when(u.created_at)),
      h("dt", {}, "Last active"), h("dd", {}, when(u.last_active_at)),
      h("dt", {}, "Merge conflicts"), h("dd", {}, u.merge_conflict_enabled ? "enabled" : u.merge_conflict_enabled === false ? "disabled" : "server default"),
      h("dt", {}, "Metadata"), h("dd", { class: "mono" }, json(u.metadata) || "—")),
    tabs(userId, current, data.counts),
  ];
}

async function viewUser(r, userId) {
  const p = r.params;
  setCrumbs(userCrumbs(userId));
  const [header, data] = await Promise.all([
    userHeader(userId, "sessions"),
    get(["users", userId, "sessions"], params(p, ["status", "offset", "limit"])),
  ]);
  const status = h("select", { id: "sessions-status" },
    h("option", { value: "" }, "any status"),
    SESSION_STATUSES.map((s) => h("option", { value: s, selected: p.get("status") === s }, s)));
  status.addEventListener("change", () => go(["users", userId], { status: status.value }));
  const rows = data.items.map((s) => h("tr", {},
    h("td", {}, h("a", { href: href(["users", userId, "sessions", s.session_id]), class: "mono" }, s.session_id)),
    h("td", {}, badge(s.status || "unknown")),
    h("td", {}, s.message_count === null ? "—" : String(s.message_count)),
    h("td", {}, when(s.created_at)),
    h("td", { class: "mono", title: json(s.metadata) }, json(s.metadata, 60)),
    h("td", {}, h("a", { href: href(["users", userId, "sessions", s.session_id, "context"]) }, "Context preview"))));
  return [
    ...header,
    h("h2", {}, "Sessions"),
    h("form", { class: "controls", onsubmit: (ev) => ev.preventDefault() }, field("Status", status)),
    h("table", {},
      h("caption", { class: "visually-hidden" }, "Sessions"),
      h("thead", {}, h("tr", {}, ["Session", "Status", "Messages", "Created", "Metadata"].map((t) => h("th", { scope: "col" }, t)),
        h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, "Context")))),
      h("tbody", {}, rows.length ? rows : h("tr", {}, h("td", { colspan: 6, class: "muted" }, "No sessions.")))),
    pager(data, (o) => go(["users", userId], { status: p.get("status") || "", offset: o }), "Sessions"),
  ];
}

async function viewSession(r, userId, sessionId) {
  const p = r.params;
  setCrumbs(userCrumbs(userId, [["Session " + shortId(sessionId), ""]]));
  const [info, data] = await Promise.all([
    get(["users", userId, "sessions", sessionId]),
    get(["users", userId, "sessions", sessionId, "messages"], params(p, ["offset", "limit"])),
  ]);
  const s = info.session;
  return [
    h("h1", { tabindex: "-1" }, "Session ", h("span", { class: "mono" }, s.session_id)),
    h("dl", { class: "facts" },
      h("dt", {}, "User"), h("dd", {}, h("a", { href: href(["users", userId]) }, userId)),
      h("dt", {}, "Status"), h("dd", {}, badge(s.status || "unknown")),
      h("dt", {}, "Messages"), h("dd", {}, String(s.message_count)),
      h("dt", {}, "Created"), h("dd", {}, when(s.created_at)),
      h("dt", {}, "Metadata"), h("dd", { class: "mono" }, json(s.metadata) || "—")),
    h("p", {},
      h("a", { class: "button", href: href(["users", userId, "sessions", sessionId, "context"]) }, "Context preview: what would it recall now?"), " ",
      h("a", { href: href(["users", userId, "memories"], { session_id: sessionId }) }, "Memories from this session")),
    h("h2", {}, "Messages"),
    data.items.length ? h("ol", { class: "messages", start: data.offset + 1 }, data.items.map((m) => h("li", { class: m.role },
      h("div", {}, h("span", { class: "who" }, m.role), " ", h("span", { class: "muted" }, when(m.timestamp))),
      h("div", { class: "text" }, m.content)))) : h("p", { class: "muted" }, "No messages."),
    pager(data, (o) => go(["users", userId, "sessions", sessionId], { offset: o }), "Messages"),
  ];
}

function categoryChips(categories, onPick) {
  return categories.map((c) => h("button", { type: "button", class: "chip", title: "Filter by " + c, onclick: () => onPick(c) }, c));
}

// The memory table, shared by the memories view and the context preview.
function memoryTable(userId, items, opts) {
  const used = opts.used || null;
  const rows = [];
  for (const m of items) {
    const ids = [m.memory_id, ...(m.previous_versions || []).map((v) => v.memory_id)];
    const isUsed = used && ids.some((id) => used.has(id));
    rows.push(h("tr", { class: isUsed ? "used" : null, "data-memory-id": m.memory_id },
      used ? h("td", {}, isUsed ? badge("used", "used") : "") : null,
      h("td", {},
        h("a", { href: href(["users", userId, "memories", m.memory_id]) }, m.content),
        m.merge_conflict_in_progress ? [" ", m.pending_conflict_id
          ? h("a", { href: href(["users", userId, "conflicts", m.pending_conflict_id]), class: "badge conflict" }, "merge conflict pending")
          : badge("merge conflict pending", "conflict")] : null,
        opts.allVersions && m.previous_versions && m.previous_versions.length ? h("ul", { class: "versions", "aria-label": "Earlier versions" },
          [...m.previous_versions].sort((a, b) => b.version_number - a.version_number).map((v) =>
            h("li", {}, `v${v.version_number}: ${v.content} (until ${when(v.expired_at)})`))) : null),
      h("td", {}, categoryChips(m.categories, opts.onCategory)),
      h("td", {}, `v${m.version_number} of ${m.total_versions}`),
      h("td", {}, when(m.created_at)),
      h("td", {}, sessionLink(userId, m.session_id))));
  }
  const heads = [used ? "Used" : null, "Memory", "Categories", "Version", "Created", "Session"].filter((x) => x !== null);
  return h("table", { class: "memories" },
    h("caption", { class: "visually-hidden" }, "Memories"),
    h("thead", {}, h("tr", {}, heads.map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, rows.length ? rows : h("tr", {}, h("td", { colspan: heads.length, class: "muted" }, "No memories match."))));
}

async function viewMemories(r, userId) {
  const p = r.params;
  setCrumbs(userCrumbs(userId, [["Memories", ""]]));
  const query = params(p, ["category", "versions", "session_id", "offset", "limit"]);
  const [header, data] = await Promise.all([userHeader(userId, "memories"), get(["users", userId, "memories"], query)]);
  const allVersions = p.get("versions") === "all";
  const state = () => ({ category: p.getAll("category"), versions: p.get("versions") || "", session_id: p.getAll("session_id") });
  const cats = h("input", { type: "text", id: "memories-categories", class: "wide", value: p.getAll("category").join(", "), placeholder: "location, health", "aria-describedby": "memories-categories-hint" });
  const radio = (value, label) => h("label", {}, h("input", { type: "radio", name: "versions", value, checked: (value === "all") === allVersions }), " ", label);
  const form = h("form", { class: "controls", onsubmit: (ev) => {
    ev.preventDefault();
    const chosen = form.querySelector('input[name="versions"]:checked');
    go(["users", userId, "memories"], { ...state(), category: cats.value.split(",").map((c) => c.trim()).filter(Boolean), versions: chosen && chosen.value === "all" ? "all" : "" });
  } },
    field("Categories (comma-separated)", cats, "memories in any of them"),
    h("fieldset", { class: "inline" }, h("legend", {}, "Versions"), radio("current", "current only"), radio("all", "with earlier versions")),
    h("button", { type: "submit" }, "Apply"));
  const sessionFilter = p.getAll("session_id");
  return [
    ...header,
    h("h2", {}, "Memories"),
    form,
    sessionFilter.length ? h("p", {}, "From session ", sessionLink(userId, sessionFilter[0]), " · ",
      h("a", { href: href(["users", userId, "memories"], { ...state(), session_id: [] }) }, "all sessions")) : null,
    memoryTable(userId, data.items, { allVersions, onCategory: (c) => go(["users", userId, "memories"], { ...state(), category: [c] }) }),
    pager(data, (o) => go(["users", userId, "memories"], { ...state(), offset: o }), "Memories"),
  ];
}

// The spec's expiration codes, in words; an unknown code is shown as it is.
const EXPIRATION_REASONS = {
  MERGE_CONFLICT: "a merge conflict was resolved in favour of the new fact",
  NEW_INFORMATION: "newer information",
};

async function viewMemory(r, userId, memoryId) {
  setCrumbs(userCrumbs(userId, [["Memories", href(["users", userId, "memories"])], ["Memory " + shortId(memoryId), ""]]));
  const data = await get(["users", userId, "memories", memoryId]);
  const m = data.memory;
  const versions = [...(m.previous_versions || []), { ...m, current: true }]
    .sort((a, b) => a.version_number - b.version_number);
  const items = versions.map((v, i) => {
    const next = versions[i + 1];
    return h("li", { class: v.current ? "current" : "", "data-version": v.version_number },
      h("div", {}, h("strong", {}, `Version ${v.version_number}`), " ", v.current ? badge("current", "current") : null,
        " ", h("span", { class: "muted mono", title: v.memory_id }, shortId(v.memory_id))),
      h("p", { class: "content" }, v.content),
      h("div", { class: "muted" }, `Created ${when(v.created_at)}`,
        v.session_id ? [" in session ", sessionLink(userId, v.session_id)] : null),
      v.expired_at || next ? h("p", { class: "why" },
        h("strong", {}, next ? `Replaced by version ${next.version_number}` : "Expired"), ` at ${when(v.expired_at)}`,
        v.expiration_reason ? [": ", EXPIRATION_REASONS[v.expiration_reason] || v.expiration_reason] : null,
        // merge_conflict_id on a version names the conflict whose resolution expired it.
        v.merge_conflict_id ? [" (", h("a", { href: href(["users", userId, "conflicts", v.merge_conflict_id]) }, "merge conflict " + shortId(v.merge_conflict_id)), ")"] : null) : null);
  });
  const connected = m.connected_memories || [];
  return [
    h("h1", { tabindex: "-1" }, m.content),
    h("dl", { class: "facts" },
      h("dt", {}, "Categories"), h("dd", {}, m.categories.join(", ") || "—"),
      h("dt", {}, "Versions"), h("dd", {}, `${m.total_versions} (this is version ${m.version_number})`),
      h("dt", {}, "Memory id"), h("dd", { class: "mono" }, m.memory_id),
      m.merge_conflict_in_progress ? [h("dt", {}, "Merge conflict"), h("dd", {}, h("a", {
        href: m.pending_conflict_id ? href(["users", userId, "conflicts", m.pending_conflict_id]) : href(["users", userId, "conflicts"], { status: "PENDING" }),
      }, "pending — resolve it"))] : null),
    h("h2", { id: "timeline-heading" }, "Version history"),
    h("ol", { class: "timeline", "aria-labelledby": "timeline-heading" }, items),
    h("h2", {}, "Connected memories"),
    connected.length ? h("ul", {}, connected.map((c) => h("li", {}, h("a", { href: href(["users", userId, "memories", c.memory_id]) }, c.content))))
      : h("p", { class: "muted" }, "None."),
  ];
}

async function viewConflicts(r, userId) {
  const p = r.params;
  setCrumbs(userCrumbs(userId, [["Merge conflicts", ""]]));
  const [header, data] = await Promise.all([
    userHeader(userId, "conflicts"),
    get(["users", userId, "conflicts"], params(p, ["status", "offset", "limit"])),
  ]);
  const status = h("select", { id: "conflicts-status" }, h("option", { value: "" }, "any status"),
    CONFLICT_STATUSES.map((s) => h("option", { value: s, selected: p.get("status") === s }, s)));
  status.addEventListener("change", () => go(["users", userId, "conflicts"], { status: status.value }));
  const rows = data.items.map((c) => h("tr", {},
    h("td", {}, h("a", { href: href(["users", userId, "conflicts", c.conflict_id]) }, c.proposed_memory_content || "(no content)")),
    h("td", {}, c.conflicting_memories.map((m) => h("div", {}, m.content))),
    h("td", {}, badge(c.status)),
    h("td", {}, when(c.created_at)),
    h("td", {}, sessionLink(userId, c.session_id))));
  return [
    ...header,
    h("h2", {}, "Merge conflicts"),
    h("form", { class: "controls", onsubmit: (ev) => ev.preventDefault() }, field("Status", status)),
    h("table", {}, h("caption", { class: "visually-hidden" }, "Merge conflicts"),
      h("thead", {}, h("tr", {}, ["New information", "Conflicts with", "Status", "Created", "Session"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, rows.length ? rows : h("tr", {}, h("td", { colspan: 5, class: "muted" }, "No merge conflicts.")))),
    pager(data, (o) => go(["users", userId, "conflicts"], { status: p.get("status") || "", offset: o }), "Merge conflicts"),
  ];
}

function conflictBody(userId, c, onResolved) {
  const out = [
    h("h1", { tabindex: "-1" }, "Merge conflict"),
    h("dl", { class: "facts" },
      h("dt", {}, "Status"), h("dd", {}, badge(c.status)),
      h("dt", {}, "Created"), h("dd", {}, when(c.created_at)),
      h("dt", {}, "Resolved"), h("dd", {}, when(c.resolved_at)),
      h("dt", {}, "Raised by session"), h("dd", {}, sessionLink(userId, c.session_id)),
      h("dt", {}, "Conflict id"), h("dd", { class: "mono" }, c.conflict_id)),
    h("h2", {}, "New information"),
    h("div", { class: "conflict-side" }, h("p", { class: "content" }, h("strong", {}, c.proposed_memory_content || "")),
      c.new_memories.length ? h("p", { class: "muted" }, `${c.new_memories.length} proposed memor${c.new_memories.length === 1 ? "y" : "ies"}`) : null),
    h("h2", {}, "Conflicts with"),
    c.conflicting_memories.map((m) => h("div", { class: "conflict-side" },
      h("p", {}, h("strong", {}, m.content), " ", m.memory_id ? h("a", { href: href(["users", userId, "memories", m.memory_id]) }, "version history") : null),
      m.reason ? h("p", { class: "muted" }, "Why: ", m.reason) : null,
      h("p", { class: "muted" }, "Remembered since ", when(m.created_at)))),
  ];
  if (c.status === "PENDING") out.push(resolveForm(userId, c, onResolved));
  if (c.resolution_data) {
    const answers = (c.resolution_data.answers || []);
    out.push(h("h2", {}, "Resolution"),
      c.resolution_data.applied ? h("p", {}, "Applied: ", h("strong", {}, String(c.resolution_data.applied).replace(/_/g, " "))) : null,
      answers.length ? h("ul", {}, answers.map((a) => h("li", {}, `${a.question} → ${a.answer}`, a.message ? ` (${a.message})` : ""))) : null);
  }
  return out;
}

function resolveForm(userId, c, onResolved) {
  const formError = h("div", { class: "error", role: "alert", id: "resolve-error" });
  const questionErrors = new Map();
  const groups = c.clarifying_questions.map((q, qi) => {
    const err = h("p", { class: "field-error", id: `q${qi}-error` });
    questionErrors.set(q.question, err);
    const note = h("textarea", { id: `q${qi}-note`, maxlength: 10000, rows: 2 });
    return h("fieldset", { class: "question", "data-question": q.question, "aria-describedby": `q${qi}-error` },
      h("legend", {}, q.question),
      h("div", { class: "options" }, q.options.map((o, oi) => h("label", {},
        h("input", { type: "radio", name: `q${qi}`, value: o, id: `q${qi}-o${oi}` }), " ", o))),
      field("Why (optional, kept with the answer)", note),
      err);
  });
  const button = h("button", { type: "submit" }, "Resolve");
  const form = h("form", { class: "resolve", novalidate: true, "aria-labelledby": "resolve-heading", onsubmit: async (ev) => {
    ev.preventDefault();
    formError.textContent = "";
    for (const e of questionErrors.values()) e.textContent = "";
    const answers = [];
    c.clarifying_questions.forEach((q, qi) => {
      const picked = form.querySelector(`input[name="q${qi}"]:checked`);
      const note = form.querySelector(`#q${qi}-note`).value.trim();
      if (picked) answers.push({ question: q.question, answer: picked.value, message: note || null });
    });
    button.disabled = true;
    try {
      const data = await post(["users", userId, "conflicts", c.conflict_id, "resolve"], { answers });
      announce("Merge conflict resolved");
      onResolved(data.conflict);
    } catch (error) {
      button.disabled = false;
      const e = error instanceof ApiFailure ? error.error : { type: "Error", message: String(error) };
      formError.replaceChildren(h("strong", {}, e.type || "Error"), ": ", e.message || "");
      const mark = (question, text) => { const el = questionErrors.get(question); if (el) el.textContent = text; };
      if (e.question) mark(e.question, e.valid_options ? `Choose one of: ${e.valid_options.join(" · ")}` : e.message);
      for (const q of e.missing_questions || []) mark(q, "This question needs an answer.");
      for (const q of e.invalid_questions || []) mark(q, "The server does not know this question.");
      formError.focus();
    }
  } },
    h("h2", { id: "resolve-heading" }, "Resolve it"),
    h("p", { class: "muted" }, "Your answers go through the SDK's MergeConflict.resolve, with its validation."),
    groups, formError, button);
  formError.setAttribute("tabindex", "-1");
  return form;
}

async function viewConflict(r, userId, conflictId) {
  setCrumbs(userCrumbs(userId, [["Merge conflicts", href(["users", userId, "conflicts"])], ["Conflict " + shortId(conflictId), ""]]));
  const data = await get(["users", userId, "conflicts", conflictId]);
  const holder = h("div", {});
  const show = (c, resolvedNow) => {
    holder.replaceChildren(...[
      resolvedNow ? h("div", { class: "success", role: "status" }, "Resolved. ",
        c.conflicting_memories[0] && c.conflicting_memories[0].memory_id ? h("a", { href: href(["users", userId, "memories", c.conflicting_memories[0].memory_id]) }, "See the memory's version history") : null) : null,
      ...conflictBody(userId, c, (next) => show(next, true)),
    ].flat().filter(Boolean));
    if (resolvedNow) holder.querySelector("h1").focus();
  };
  show(data.conflict, false);
  return [holder];
}

async function viewContext(r, userId, sessionId) {
  const p = r.params;
  setCrumbs(userCrumbs(userId, [["Session " + shortId(sessionId), href(["users", userId, "sessions", sessionId])], ["Context preview", ""]]));
  const names = ["recall_strategy", "min_top_k", "max_top_k", "memories_threshold", "summaries_threshold", "last_n_messages", "last_n_summaries", "timezone", "include_system_prompt", "memories_offset"];
  const value = (n, d) => (p.has(n) ? p.get(n) : d);
  const controls = {
    recall_strategy: h("select", { id: "ctx-strategy" }, STRATEGIES.map((s) => h("option", { value: s, selected: value("recall_strategy", "balanced") === s }, s))),
    min_top_k: h("input", { type: "number", id: "ctx-min-top-k", min: 5, max: 50, value: value("min_top_k", "15") }),
    max_top_k: h("input", { type: "number", id: "ctx-max-top-k", min: 10, max: 100, value: value("max_top_k", "50") }),
    memories_threshold: h("input", { type: "number", id: "ctx-memories-threshold", min: 0.2, max: 0.8, step: 0.05, value: value("memories_threshold", "0.6") }),
    summaries_threshold: h("input", { type: "number", id: "ctx-summaries-threshold", min: 0.2, max: 0.8, step: 0.05, value: value("summaries_threshold", "0.5") }),
    last_n_messages: h("input", { type: "number", id: "ctx-last-n-messages", min: 1, max: 100, value: value("last_n_messages", ""), placeholder: "off" }),
    last_n_summaries: h("input", { type: "number", id: "ctx-last-n-summaries", min: 1, max: 20, value: value("last_n_summaries", ""), placeholder: "off" }),
    timezone: h("input", { type: "text", id: "ctx-timezone", maxlength: 64, value: value("timezone", ""), placeholder: "UTC" }),
  };
  const prompt = h("input", { type: "checkbox", id: "ctx-system-prompt", checked: value("include_system_prompt", "") === "true" });
  const state = () => {
    const out = {};
    for (const [k, el] of Object.entries(controls)) out[k] = el.value.trim();
    out.include_system_prompt = prompt.checked ? "true" : "";
    return out;
  };
  const form = h("form", { class: "controls", novalidate: true, onsubmit: (ev) => { ev.preventDefault(); go(["users", userId, "sessions", sessionId, "context"], state()); } },
    field("Recall strategy", controls.recall_strategy),
    field("min top-k", controls.min_top_k, "5–50"),
    field("max top-k", controls.max_top_k, "10–100"),
    field("Memories threshold", controls.memories_threshold, "0.2–0.8"),
    field("Summaries threshold", controls.summaries_threshold, "0.2–0.8"),
    field("Last n messages", controls.last_n_messages, "1–100, optional"),
    field("Last n summaries", controls.last_n_summaries, "1–20, optional"),
    field("Timezone", controls.timezone, "e.g. Europe/Paris"),
    h("div", { class: "field" }, h("label", { for: "ctx-system-prompt" }, prompt, " include system prompt")),
    h("button", { type: "submit" }, "Preview"));
  const out = [
    h("h1", { tabindex: "-1" }, "Context preview"),
    h("p", { class: "muted" }, "What ", h("code", {}, "session.get_context()"), " returns now for session ", sessionLink(userId, sessionId), ", and which memories and session summaries it used."),
    form,
  ];
  let ctx;
  try {
    ctx = await get(["users", userId, "sessions", sessionId, "context"], params(p, names));
  } catch (error) {
    out.push(errorBox(error));
    return out;
  }
  const md = ctx.metadata || {};
  const used = new Set(md.memory_ids || []);
  const mem = ctx.memories;
  const onPage = mem.items.filter((m) => used.has(m.memory_id)).length;
  const facts = [];
  const fact = (label, v) => { if (v && (!Array.isArray(v) || v.length)) facts.push(h("dt", {}, label), h("dd", {}, Array.isArray(v) ? v.join(", ") : v)); };
  fact("Strategy used", md.recall_strategy_used);
  fact("Keywords", md.keywords);
  fact("Search queries", md.vector_search_queries);
  fact("Summary queries", md.session_summaries_search_queries);
  fact("Agent reasoning", md.agent_reasoning);
  out.push(
    h("h2", {}, "The context"),
    facts.length ? h("dl", { class: "facts" }, facts) : null,
    h("pre", { id: "context-text", tabindex: "0", "aria-label": "Context text" }, ctx.context),
    h("h2", {}, `Memories it used (${ctx.used_memories.length})`),
    ctx.used_memories.length ? h("ol", { id: "used-memories" }, ctx.used_memories.map((m) => h("li", {},
      m.missing ? h("span", { class: "muted" }, `${m.memory_id} (no longer exists)`)
        : [h("a", { href: href(["users", userId, "memories", m.memory_id]) }, m.content), " ", h("span", { class: "muted" }, m.categories.join(", "))]))) : h("p", { class: "muted" }, "None."),
    h("h2", {}, `Session summaries it used (${ctx.used_session_ids.length})`),
    ctx.used_session_ids.length ? h("ul", { id: "used-sessions" }, ctx.used_session_ids.map((sid) => h("li", {}, sessionLink(userId, sid), sid === sessionId ? " (this session)" : ""))) : h("p", { class: "muted" }, "None."),
    h("h2", {}, "All memories, the used ones highlighted"),
    h("p", { class: "muted" }, `${onPage} of the ${used.size} used memories are on this page.`),
    memoryTable(userId, mem.items, { used, onCategory: (c) => go(["users", userId, "memories"], { category: [c] }) }),
    pager(mem, (o) => go(["users", userId, "sessions", sessionId, "context"], { ...state(), memories_offset: o }), "Memories"));
  return out;
}

// -- the router -----------------------------------------------------------------------

const ROUTES = [
  [["users"], viewUsers],
  [["users", "*"], viewUser],
  [["users", "*", "sessions", "*"], viewSession],
  [["users", "*", "sessions", "*", "context"], viewContext],
  [["users", "*", "memories"], viewMemories],
  [["users", "*", "memories", "*"], viewMemory],
  [["users", "*", "conflicts"], viewConflicts],
  [["users", "*", "conflicts", "*"], viewConflict],
];

let renders = 0;
let lastPath = null;

async function render() {
  const r = route();
  const mine = ++renders;
  const match = ROUTES.find(([pattern]) => pattern.length === r.segments.length &&
    pattern.every((p, i) => p === "*" || p === r.segments[i]));
  const path = r.segments.join("/");
  const samePath = path === lastPath;
  const focusedId = samePath && document.activeElement ? document.activeElement.id : null;
  lastPath = path;
  main.setAttribute("aria-busy", "true");
  if (!samePath) main.replaceChildren(h("p", { class: "loading" }, "Loading…"));
  let content;
  try {
    if (!match) {
      setCrumbs([["Users", "#/users"]]);
      content = [h("h1", { tabindex: "-1" }, "Not found"), h("p", {}, h("a", { href: "#/users" }, "Back to the users"))];
    } else {
      const ids = r.segments.filter((_, i) => match[0][i] === "*");
      content = await match[1](r, ...ids);
    }
  } catch (error) {
    content = [h("h1", { tabindex: "-1" }, "Could not load this view"), errorBox(error), h("p", {}, h("a", { href: "#/users" }, "Back to the users"))];
  }
  if (mine !== renders) return; // a newer navigation won
  main.replaceChildren(...content.flat().filter(Boolean));
  main.setAttribute("aria-busy", "false");
  performance.mark("inspector:view-rendered", { detail: path }); // read by the benchmark
  const again = focusedId && document.getElementById(focusedId);
  if (again) again.focus();
  else if (!samePath) { const h1 = main.querySelector("h1"); if (h1) h1.focus({ preventScroll: true }); }
  const title = main.querySelector("h1");
  document.title = (title ? title.textContent + " · " : "") + "RecallrAI memory inspector";
}

function start() {
  // The skip link must not change the hash: the hash is the router's.
  document.querySelector(".skip").addEventListener("click", (ev) => { ev.preventDefault(); main.focus(); });
  window.addEventListener("hashchange", render);
  render();
  get(["info"]).then((info) => {
    where.textContent = `project ${info.project_id} at ${info.base_url} · SDK ${info.version}`;
  }, () => { where.textContent = ""; });
}

start();
