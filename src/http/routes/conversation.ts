// A session's conversation: its history, its config, export and deletion.
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { guardLinks } from "../../answering/link-guard";
import { settings } from "../../config";
import type { AppEnv } from "../app-env";
import { errorResponses, jsonBody, jsonResponse } from "../openapi";
import {
  ConfigResponse,
  DeleteSessionResponse,
  ExportQuery,
  ExportResponse,
  HistoryResponse,
  SessionConfig,
  SessionParams,
} from "../schemas";
import { found, sessionStub } from "../session-stub";

const tags = ["Conversation"];

const historyRoute = createRoute({
  method: "get",
  path: "/conversation/history/{session_id}",
  tags,
  summary: "A session's questions and answers, oldest first",
  request: { params: SessionParams },
  responses: { 200: jsonResponse(HistoryResponse, "The history"), ...errorResponses(404) },
});

const deleteRoute = (path: string, hide = false) =>
  createRoute({
    method: "delete",
    path,
    tags,
    hide,
    summary: "Delete a session and its history",
    request: { params: SessionParams },
    responses: { 200: jsonResponse(DeleteSessionResponse, "Deleted"), ...errorResponses(404) },
  });

const getConfigRoute = createRoute({
  method: "get",
  path: "/conversation/config/{session_id}",
  tags,
  summary: "A session's configuration",
  request: { params: SessionParams },
  responses: { 200: jsonResponse(ConfigResponse, "The configuration"), ...errorResponses(404) },
});

const setConfigRoute = createRoute({
  method: "post",
  path: "/conversation/config/{session_id}",
  tags,
  summary: "Set how many recent exchanges are used as context",
  request: { params: SessionParams, body: jsonBody(SessionConfig) },
  responses: { 200: jsonResponse(ConfigResponse, "The new configuration"), ...errorResponses(404, 413, 415, 422) },
});

const exportRoute = createRoute({
  method: "get",
  path: "/conversation/export/{session_id}",
  tags,
  summary: "Download the conversation as JSON or as a Markdown transcript",
  request: { params: SessionParams, query: ExportQuery },
  responses: {
    200: {
      description: "An attachment",
      content: { "application/json": { schema: ExportResponse }, "text/markdown": { schema: { type: "string" } } },
    },
    ...errorResponses(404, 422),
  },
});

export const conversationRoutes = new OpenAPIHono<AppEnv>()
  .openapi(historyRoute, async (c) => {
    const { session_id } = c.req.valid("param");
    return c.json(found(await sessionStub(c, session_id).history()), 200);
  })
  .openapi(getConfigRoute, async (c) => {
    const { session_id } = c.req.valid("param");
    const info = found(await sessionStub(c, session_id).info());
    return c.json(configResponse(session_id, info.config.context_window, "Session configuration"), 200);
  })
  .openapi(setConfigRoute, async (c) => {
    const { session_id } = c.req.valid("param");
    const { context_window } = c.req.valid("json");
    const updated = found(await sessionStub(c, session_id).setContextWindow(context_window));
    return c.json(configResponse(session_id, updated, `Context window set to ${updated} exchanges`), 200);
  })
  .openapi(exportRoute, async (c) => {
    const { session_id } = c.req.valid("param");
    const { format } = c.req.valid("query");
    const exported = found(await sessionStub(c, session_id).exportConversation());
    const stamp = exported.exported_at.slice(0, 10);
    if (format === "markdown") {
      // Stored answers were guarded as they were written; the transcript around them is guarded as a whole.
      const transcript = guardLinks(markdownTranscript(exported), settings(c.env).ALLOWED_LINK_HOSTS);
      return c.body(transcript, 200, {
        "content-type": "text/markdown; charset=utf-8",
        "content-disposition": `attachment; filename="percakapan-${stamp}.md"`,
      });
    }
    c.header("content-disposition", `attachment; filename="percakapan-${stamp}.json"`);
    return c.json(exported, 200);
  });

for (const [path, hide] of [
  ["/conversation/history/{session_id}", false],
  ["/conversation/{session_id}", true],
] as const) {
  conversationRoutes.openapi(deleteRoute(path, hide), async (c) => {
    const { session_id } = c.req.valid("param");
    found((await sessionStub(c, session_id).delete()) || null);
    return c.json({ status: "success" as const, message: "Session deleted", data: { session_id } }, 200);
  });
}

function configResponse(sessionId: string, contextWindow: number, message: string) {
  return { status: "success" as const, message, data: { session_id: sessionId, context_window: contextWindow } };
}

function markdownTranscript(exported: ExportResponse): string {
  const lines = [
    "# Percakapan Tanya Ma'il",
    "",
    `Dimulai: ${exported.created_at}  `,
    `Diekspor: ${exported.exported_at}`,
  ];
  for (const [i, exchange] of exported.history.entries()) {
    lines.push("", `## ${i + 1}. ${exchange.question}`, "", `*${exchange.timestamp}*`, "", exchange.answer);
    if (exchange.sources.length > 0) lines.push("", `Sumber: ${exchange.sources.join(", ")}`);
    if (exchange.feedback) {
      const { rating, comment } = exchange.feedback;
      lines.push("", `Umpan balik: ${rating === "up" ? "👍" : "👎"}${comment ? ` ${comment}` : ""}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
