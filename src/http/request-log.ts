// One structured JSON line per request. Session ids are bearer secrets, so
// only a short hash of them is ever logged.
import { createMiddleware } from "hono/factory";
import { settings } from "../config";
import { sessionLogLabel } from "../session/session-id";
import type { AppEnv } from "./app-env";

export const requestLog = createMiddleware<AppEnv>(async (c, next) => {
  const started = Date.now();
  await next();
  const sessionId = c.get("sessionId");
  const level = c.res.status >= 500 ? "error" : "info";
  const line = JSON.stringify({
    level,
    request_id: c.get("requestId"),
    method: c.req.method,
    route: c.req.routePath,
    status: c.res.status,
    latency_ms: Date.now() - started,
    session: sessionId ? await sessionLogLabel(sessionId) : undefined,
    question: logsQuestions(c.env) ? c.get("question") : undefined,
  });
  // The console method matches the level, so the platform's log views can filter on it.
  console[level](line);
});

// Questions can hold personal details; they are logged only when asked for.
function logsQuestions(env: Env): boolean {
  try {
    return settings(env).LOG_QUESTIONS;
  } catch {
    return false; // a configuration error is reported by the request itself
  }
}
