// POST /feedback/{session_id}: a user's 👍 or 👎 on one of their answers. The
// session object keeps it with the exchange.
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env";
import { notFound } from "../errors";
import { errorResponses, jsonBody, jsonResponse } from "../openapi";
import { limitClient } from "../rate-limit";
import { ErrorResponse, FeedbackRequest, FeedbackResponse, SessionParams } from "../schemas";
import { found, sessionStub } from "../session-stub";

const feedbackRoute = createRoute({
  method: "post",
  path: "/feedback/{session_id}",
  tags: ["Conversation"],
  summary: "Rate an answer 👍 or 👎, with an optional comment",
  description:
    "`exchange` is the 0-based index into the session's history (the latest when absent). " +
    "Rating the same exchange again replaces the earlier rating. History entries and exports show it as `feedback`.",
  middleware: [limitClient] as const,
  request: { params: SessionParams, body: jsonBody(FeedbackRequest) },
  responses: {
    200: jsonResponse(FeedbackResponse, "Recorded"),
    404: jsonResponse(ErrorResponse, "Session not found, or `Exchange not found`"),
    ...errorResponses(413, 415, 422, 429),
  },
});

export const feedbackRoutes = new OpenAPIHono<AppEnv>().openapi(feedbackRoute, async (c) => {
  const { session_id } = c.req.valid("param");
  const { rating, exchange, comment } = c.req.valid("json");
  const rated = found(
    await sessionStub(c, session_id).feedback({ rating, exchange: exchange ?? null, comment: comment || null }),
  );
  if (rated.exchange === null) throw notFound("Exchange not found");
  return c.json(
    {
      status: "success" as const,
      message: "Thank you for the feedback",
      data: { session_id, exchange: rated.exchange, rating },
    },
    200,
  );
});
