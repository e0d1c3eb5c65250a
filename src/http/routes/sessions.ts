// Session information for one user (/session/{id}) and the admin listing of
// all live sessions (/sessions).
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { settings } from "../../config";
import { base64url } from "../../session/session-id";
import { type ListingCursor, listSessions } from "../../session/session-index";
import { isoInZone } from "../../timezone";
import { adminOnly } from "../admin-auth";
import type { AppEnv } from "../app-env";
import { ValidationFailed } from "../errors";
import { errorResponses, jsonResponse } from "../openapi";
import { SessionInfoResponse, SessionListQuery, SessionListResponse, SessionParams } from "../schemas";
import { found, sessionStub } from "../session-stub";

const infoRoute = createRoute({
  method: "get",
  path: "/session/{session_id}",
  tags: ["Sessions"],
  summary: "A session's lifetime, configuration and statistics",
  request: { params: SessionParams },
  responses: { 200: jsonResponse(SessionInfoResponse, "The session"), ...errorResponses(404) },
});

const listRoute = createRoute({
  method: "get",
  path: "/sessions",
  tags: ["Sessions"],
  summary: "List live sessions, newest first (admin)",
  description:
    "Requires `Authorization: Bearer <ADMIN_TOKEN>` when ADMIN_TOKEN is set. Pass `next_cursor` back as `cursor` for the next page.",
  middleware: [adminOnly] as const,
  security: [{ adminToken: [] }],
  request: { query: SessionListQuery },
  responses: { 200: jsonResponse(SessionListResponse, "A page of sessions"), ...errorResponses(401, 403, 422) },
});

export const sessionRoutes = new OpenAPIHono<AppEnv>()
  .openapi(infoRoute, async (c) => {
    const { session_id } = c.req.valid("param");
    return c.json(found(await sessionStub(c, session_id).info()), 200);
  })
  .openapi(listRoute, async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const { sessions, next, total } = await listSessions(c.env, limit, cursor ? decodeCursor(cursor) : null);
    const zone = settings(c.env).TIMEZONE;
    return c.json(
      {
        status: "success" as const,
        message: `Found ${sessions.length} active sessions`,
        data: sessions.map((entry) => ({
          session_id: entry.session_id,
          created_at: isoInZone(entry.created_at, zone),
          last_activity: isoInZone(entry.last_activity, zone),
          expires_at: isoInZone(entry.expires_at, zone),
          total_exchanges: entry.total_exchanges,
        })),
        next_cursor: next ? encodeCursor(next) : null,
        total,
      },
      200,
    );
  });

function encodeCursor(cursor: ListingCursor): string {
  return base64url(new TextEncoder().encode(`${cursor.created_at}.${cursor.session_id}`));
}

function decodeCursor(text: string): ListingCursor {
  try {
    const decoded = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
    const match = /^(\d{1,15})\.([A-Za-z0-9_-]{1,128})$/.exec(decoded);
    if (match) return { created_at: Number(match[1]), session_id: match[2] as string };
  } catch {
    // fall through to the validation error
  }
  throw new ValidationFailed([
    {
      loc: ["query", "cursor"],
      msg: "Invalid cursor: pass back the next_cursor of a previous page",
      type: "value_error",
    },
  ]);
}
