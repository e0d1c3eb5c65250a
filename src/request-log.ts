// One structured JSON line per request. Session ids are bearer secrets, so
// only a short hash of them is ever logged.
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./app-env";
import { settings } from "./config";
import { sessionLogLabel } from "./session-id";

export const requestLog = createMiddleware<AppEnv>(async (c, next) => {
  const started = Date.now();
  await next();
  // Written after the response has left: hashing the session id is not on its path.
  const line = {
    level: c.res.status >= 500 ? "error" : "info",
    request_id: c.get("requestId"),
    method: c.req.method,
    route: c.req.routePath,
    status: c.res.status,
    latency_ms: Date.now() - started,
    question: logsQuestions(c.env) ? c.get("question") : undefined,
  };
  const sessionId = c.get("sessionId");
  const written = (async () => {
    const session = sessionId ? await sessionLogLabel(sessionId) : undefined;
    const text = JSON.stringify({ ...line, session });
    // The console method matches the level, so the platform's log views can filter on it.
    if (line.level === "error") console.error(text);
    else console.info(text);
  })();
  try {
    c.executionCtx.waitUntil(written);
  } catch {
    await written; // no execution context (app.request in tests): write it now
  }
});

// Questions can hold personal details; they are logged only when asked for.
function logsQuestions(env: Env): boolean {
  try {
    return settings(env).LOG_QUESTIONS;
  } catch {
    return false; // a configuration error is reported by the request itself
  }
}
