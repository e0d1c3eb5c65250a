// GET /client-config: what a chat client needs before the first question (the
// starter questions, the hosts links may point at, the longest question). The
// same for everyone and changed only by a deployment, so it may be cached.
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { settings } from "../../config";
import type { AppEnv } from "../app-env";
import { jsonResponse } from "../openapi";
import { ClientConfigResponse, MAX_QUESTION_CHARS } from "../schemas";

const CACHE_SECONDS = 300;

const clientConfigRoute = createRoute({
  method: "get",
  path: "/client-config",
  tags: ["Service"],
  summary: "Starter questions and link hosts for chat clients",
  description: `Public and cacheable (${CACHE_SECONDS} s). The web chat page reads it on load.`,
  responses: { 200: jsonResponse(ClientConfigResponse, "Settings for chat clients") },
});

export const clientConfigRoutes = new OpenAPIHono<AppEnv>().openapi(clientConfigRoute, (c) => {
  const config = settings(c.env);
  c.header("cache-control", `public, max-age=${CACHE_SECONDS}`);
  return c.json(
    {
      starter_questions: config.STARTER_QUESTIONS,
      allowed_link_hosts: [...config.ALLOWED_LINK_HOSTS],
      max_question_chars: MAX_QUESTION_CHARS,
    },
    200,
  );
});
