// Resolves a client-supplied session id to its Durable Object. Ids that could
// never have been issued are refused here, before any object is touched.
import type { Context } from "hono";
import { isWellFormedSessionId } from "../session/session-id";
import type { AppEnv } from "./app-env";
import { notFound } from "./errors";

export function sessionStub(c: Context<AppEnv>, sessionId: string) {
  if (!isWellFormedSessionId(sessionId)) throw notFound();
  c.set("sessionId", sessionId);
  return c.env.SESSIONS.getByName(sessionId);
}

/** Unwraps a session object's answer, where null means the session does not exist. */
export function found<T>(value: T | null): T {
  if (value === null) throw notFound();
  return value;
}
