// Round trip against a RecallrAI server through a client typed from openapi/recallrai.yaml.
//
//   RECALLRAI_BASE_URL=http://127.0.0.1:8000 node dist/roundtrip.js
//
// The types in ./generated/recallrai.d.ts are produced by openapi-typescript at check time
// (scripts/check-spec), so a spec change that breaks this code fails `tsc --strict`.
// Exits non-zero, with a message naming the failed step, on any failure.

import createClient from "openapi-fetch";
import type { components, paths } from "./generated/recallrai.js";

type Session = components["schemas"]["Session"];
type MergeConflict = components["schemas"]["MergeConflict"];
type QuestionAnswer = components["schemas"]["QuestionAnswer"];

class CheckFailed extends Error {}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new CheckFailed(message);
}

/** The data of a successful call; otherwise fail with the step, status and error body. */
function ok<T>(step: string, result: { data?: T; error?: unknown; response: Response }): T {
  const { data, error, response } = result;
  if (error !== undefined || data === undefined) {
    const body = error === undefined ? "(no body)" : JSON.stringify(error);
    throw new CheckFailed(`${step}: HTTP ${response.status} ${response.statusText}: ${body}`);
  }
  return data;
}

const baseUrl = process.env["RECALLRAI_BASE_URL"];
if (!baseUrl) {
  console.error("roundtrip: set RECALLRAI_BASE_URL (e.g. http://127.0.0.1:8000)");
  process.exit(2);
}

const client = createClient<paths>({
  baseUrl: baseUrl.replace(/\/+$/, ""),
  headers: {
    "X-Recallr-Api-Key": "rai_ts_check",
    "X-Recallr-Project-Id": "ts-check",
  },
});

const POLL_TIMEOUT_MS = 30_000;
const POLL_INTERVAL_MS = 200;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function talk(userId: string, label: string, lines: readonly string[]): Promise<Session> {
  const user_id = userId;
  const session = ok(
    `${label}: createSession`,
    await client.POST("/api/v1/users/{user_id}/sessions", {
      params: { path: { user_id } },
      body: { metadata: { source: "ts-check", label } },
    }),
  );
  check(session.status === "pending", `${label}: new session is ${session.status}, not pending`);
  const session_id = session.session_id;
  for (const message of lines) {
    ok(
      `${label}: addMessage`,
      await client.POST("/api/v1/users/{user_id}/sessions/{session_id}/add-message", {
        params: { path: { user_id, session_id } },
        body: { message, role: "user" },
      }),
    );
  }
  ok(
    `${label}: addMessage (assistant)`,
    await client.POST("/api/v1/users/{user_id}/sessions/{session_id}/add-message", {
      params: { path: { user_id, session_id } },
      body: { message: "Noted, thanks!", role: "assistant" },
    }),
  );
  ok(
    `${label}: processSession`,
    await client.POST("/api/v1/users/{user_id}/sessions/{session_id}/process", {
      params: { path: { user_id, session_id } },
    }),
  );
  const deadline = Date.now() + POLL_TIMEOUT_MS;
  for (;;) {
    const current = ok(
      `${label}: getSession`,
      await client.GET("/api/v1/users/{user_id}/sessions/{session_id}", {
        params: { path: { user_id, session_id } },
      }),
    );
    if (current.status === "processed") return current;
    check(
      current.status === "pending" || current.status === "processing",
      `${label}: session ${session_id} ended as ${current.status}, not processed`,
    );
    check(
      Date.now() < deadline,
      `${label}: session ${session_id} still ${current.status} after ${POLL_TIMEOUT_MS} ms`,
    );
    await sleep(POLL_INTERVAL_MS);
  }
}

async function main(): Promise<void> {
  const user_id = `ts-check ${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

  // 1. A user of our own with merge conflicts on.
  const user = ok(
    "createUser",
    await client.POST("/api/v1/users", {
      body: { custom_user_id: user_id, metadata: { source: "ts-check" }, merge_conflict_enabled: true },
    }),
  );
  check(user.custom_user_id === user_id, `createUser: got user ${JSON.stringify(user.custom_user_id)}`);
  check(user.merge_conflict_enabled === true, "createUser: merge_conflict_enabled is not true");
  console.log(`roundtrip: created user ${JSON.stringify(user_id)}`);

  // 2. First session: two first-person facts become memories.
  const first = await talk(user_id, "session 1", ["I live in Berlin.", "My favourite food is sushi."]);
  console.log(`roundtrip: session ${first.session_id} processed`);
  const memories = ok(
    "listMemories",
    await client.GET("/api/v1/users/{user_id}/memories", {
      params: { path: { user_id }, query: { limit: 50 } },
    }),
  );
  check(memories.items.length >= 1, "listMemories: no memories after processing session 1");
  check(memories.total >= memories.items.length, "listMemories: total is less than the page");
  console.log(
    `roundtrip: ${memories.items.length} memories: ${memories.items.map((m) => JSON.stringify(m.content)).join(", ")}`,
  );

  // 3. Second session contradicts the first: a PENDING merge conflict, not an overwrite.
  const second = await talk(user_id, "session 2", ["I live in Paris now."]);
  console.log(`roundtrip: session ${second.session_id} processed`);
  const conflicts = ok(
    "listMergeConflicts",
    await client.GET("/api/v1/users/{user_id}/merge-conflicts", {
      params: { path: { user_id }, query: { status: "PENDING" } },
    }),
  );
  const pendingId = conflicts.conflicts.find((c) => c.status === "PENDING")?.id;
  check(pendingId !== undefined, `listMergeConflicts: no PENDING conflict in ${JSON.stringify(conflicts)}`);
  const conflict_id = pendingId;

  const pending: MergeConflict = ok(
    "getMergeConflict",
    await client.GET("/api/v1/users/{user_id}/merge-conflicts/{conflict_id}", {
      params: { path: { user_id, conflict_id } },
    }),
  );
  check(pending.id === conflict_id, `getMergeConflict: asked for ${conflict_id}, got ${pending.id}`);
  check(pending.status === "PENDING", `getMergeConflict: status is ${pending.status}, not PENDING`);
  check(pending.clarifying_questions.length >= 1, "getMergeConflict: no clarifying questions");
  console.log(`roundtrip: conflict ${conflict_id}: ${JSON.stringify(pending.proposed_memory_content)}`);

  // 4. Answer every question with its first option.
  const question_answers: QuestionAnswer[] = pending.clarifying_questions.map((q) => {
    const answer = q.options[0];
    check(answer !== undefined, `getMergeConflict: question ${JSON.stringify(q.question)} has no options`);
    return { question: q.question, answer, message: "ts-check: first option" };
  });
  const resolved = ok(
    "resolveMergeConflict",
    await client.POST("/api/v1/users/{user_id}/merge-conflicts/{conflict_id}/resolve", {
      params: { path: { user_id, conflict_id } },
      body: { answers: { question_answers } },
    }),
  );
  check(resolved.status === "RESOLVED", `resolveMergeConflict: status is ${resolved.status}, not RESOLVED`);
  const after = ok(
    "getMergeConflict (after)",
    await client.GET("/api/v1/users/{user_id}/merge-conflicts/{conflict_id}", {
      params: { path: { user_id, conflict_id } },
    }),
  );
  check(after.status === "RESOLVED", `getMergeConflict: status after resolving is ${after.status}`);
  console.log(`roundtrip: conflict ${conflict_id} RESOLVED with ${JSON.stringify(question_answers.map((a) => a.answer))}`);

  // 5. Clean up (the local server is throw-away, but a shared one may not be).
  const gone = await client.DELETE("/api/v1/users/{user_id}", { params: { path: { user_id } } });
  check(gone.response.status === 204, `deleteUser: HTTP ${gone.response.status}`);
  console.log("roundtrip: OK");
}

main().catch((err: unknown) => {
  if (err instanceof CheckFailed) {
    console.error(`roundtrip FAILED: ${err.message}`);
  } else {
    console.error("roundtrip FAILED with an unexpected error:", err);
  }
  process.exit(1);
});
