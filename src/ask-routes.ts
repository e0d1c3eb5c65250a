// POST /ask: a question in, an answer out, as one JSON document or as a stream
// of Server-Sent Events. The session object does the answering.
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "./app-env";
import { notFound } from "./errors";
import { errorResponses, jsonBody } from "./openapi";
import { AskRequest, AskResponse } from "./schemas";
import { newSessionId } from "./session-id";
import { found, sessionStub } from "./session-stub";
import { SSE_HEADERS } from "./sse";

const askRoute = createRoute({
  method: "post",
  path: "/ask",
  summary: "Ask a question",
  description:
    "Answers from the knowledge base within a session. Without `session_id` a new session is created. " +
    "With `stream: true` (or `Accept: text/event-stream`) the answer arrives as SSE events: `session`, then `content` tokens, then `source`, then `done` (or `error`).",
  request: { body: jsonBody(AskRequest) },
  responses: {
    200: {
      description: "The answer",
      content: {
        "application/json": { schema: AskResponse },
        "text/event-stream": { schema: { type: "string", description: "data: {json event} lines" } },
      },
    },
    ...errorResponses(404, 413, 415, 422, 502, 503),
  },
});

export const askRoutes = new OpenAPIHono<AppEnv>().openapi(askRoute, async (c) => {
  const body = c.req.valid("json");
  const create = body.session_id === null;
  const sessionId = body.session_id ?? newSessionId();
  const stub = sessionStub(c, sessionId);
  const input = {
    session_id: sessionId,
    create,
    question: body.question,
    top_k: body.top_k,
    filename_filter: body.filename_filter,
  };
  const wantsStream = body.stream || (c.req.header("accept") ?? "").includes("text/event-stream");
  if (wantsStream) {
    const stream = await stub.askStream(input);
    if (!stream) throw notFound();
    return new Response(stream, { headers: SSE_HEADERS });
  }
  const outcome = found(await stub.ask(input));
  if ("failure" in outcome) throw new HTTPException(outcome.failure.status, { message: outcome.failure.detail });
  return c.json(outcome.result, 200);
});
