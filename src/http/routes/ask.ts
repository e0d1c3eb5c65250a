// POST /ask: a question in, an answer out, as one JSON document or as a stream
// of Server-Sent Events; GET /ask/stream/{session_id} picks a stream up again
// after a dropped connection. The session object does the answering.
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { HTTPException } from "hono/http-exception";
import type { AskFailure } from "../../answering/ask-failure";
import { newSessionId } from "../../session/session-id";
import type { StreamOutcome } from "../../session/session-object";
import { joinEventStream, SSE_HEADERS } from "../../session/sse";
import type { AppEnv } from "../app-env";
import { httpError, notFound } from "../errors";
import { errorResponses, jsonBody } from "../openapi";
import { limitClient, limitNewSession, limitSession } from "../rate-limit";
import { AnswerEvent, AskRequest, AskResponse, ResumeHeaders, ResumeQuery, SessionParams } from "../schemas";
import { found, sessionStub } from "../session-stub";

const eventStream = {
  "text/event-stream": {
    schema: {
      type: "string",
      description:
        "`id: n` and `data: <AnswerEvent as JSON>` lines (see the AnswerEvent schema); `: keep-alive` comments while the model is silent",
    },
  },
} as const;

const askRoute = createRoute({
  method: "post",
  path: "/ask",
  summary: "Ask a question",
  description:
    "Answers from the knowledge base within a session. Without `session_id` a new session is created. " +
    "With `stream: true` (or `Accept: text/event-stream`) the answer arrives as SSE events: `session`, then `content` tokens, then `source`, then `done` (or `error`). " +
    "An `error` event carries `retry_after` (seconds) when asking again later can succeed (the model was busy); JSON answers `503` with `Retry-After` then. " +
    "Each event has an `id`, its number within the answer; after a dropped connection, `GET /ask/stream/{session_id}` resumes from it.",
  middleware: [limitClient] as const,
  request: { body: jsonBody(AskRequest) },
  responses: {
    200: {
      description: "The answer",
      content: { "application/json": { schema: AskResponse }, ...eventStream },
    },
    ...errorResponses(404, 413, 415, 422, 429, 502, 503, 504),
  },
});

const resumeRoute = createRoute({
  method: "get",
  path: "/ask/stream/{session_id}",
  summary: "Resume the latest answer's stream",
  description:
    "Replays the events of the session's latest answer after `Last-Event-ID` (or `last_event_id`; from the start without either), " +
    "then continues live until `done` or `error`, whether the answer is still being generated or already finished.",
  middleware: [limitClient] as const,
  request: { params: SessionParams, query: ResumeQuery, headers: ResumeHeaders },
  responses: {
    200: { description: "The rest of the answer", content: eventStream },
    ...errorResponses(404, 422, 429),
  },
});

export const askRoutes = new OpenAPIHono<AppEnv>();
// Streams are not JSON documents, so no route refers to the event schema; it is listed for clients.
askRoutes.openAPIRegistry.register("AnswerEvent", AnswerEvent);

askRoutes
  .openapi(askRoute, async (c) => {
    const body = c.req.valid("json");
    const create = body.session_id === null;
    const sessionId = body.session_id ?? newSessionId();
    const stub = sessionStub(c, sessionId);
    c.set("question", body.question);
    if (create) await limitNewSession(c);
    else await limitSession(c, sessionId);
    const input = {
      session_id: sessionId,
      create,
      question: body.question,
      top_k: body.top_k,
      filename_filter: body.filename_filter,
    };
    const wantsStream = body.stream || (c.req.header("accept") ?? "").includes("text/event-stream");
    if (wantsStream) return eventResponse(await stub.askStream(input));
    const outcome = found(await stub.ask(input));
    if ("failure" in outcome) throw failed(outcome.failure);
    return c.json(outcome.result, 200);
  })
  .openapi(resumeRoute, async (c) => {
    const { session_id } = c.req.valid("param");
    const afterId = c.req.valid("header")["last-event-id"] ?? c.req.valid("query").last_event_id ?? 0;
    return eventResponse(await sessionStub(c, session_id).resume(afterId));
  });

function eventResponse(outcome: StreamOutcome | null): Response {
  if (!outcome) throw notFound();
  if ("failure" in outcome) throw failed(outcome.failure);
  return new Response(joinEventStream(outcome.stream), { headers: SSE_HEADERS });
}

function failed(failure: AskFailure): HTTPException {
  return httpError(failure.status, failure.detail, failure.retryAfter);
}
