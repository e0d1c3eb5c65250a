// Requests per client and per session, counted by the Workers Rate Limiting
// bindings ([[ratelimits]] in wrangler.toml, which also work under
// `wrangler dev`). A deployment without the bindings is not limited.
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "./app-env";

/** The period of both bindings: after it, the count starts again. */
const RATE_LIMIT_PERIOD_SECONDS = 60;

export const limitClient = createMiddleware<AppEnv>(async (c, next) => {
  await enforce(c.env.CLIENT_RATE_LIMIT, clientKey(c), "Too many requests from this client. Please wait a minute.");
  await next();
});

export async function limitSession(c: Context<AppEnv>, sessionId: string): Promise<void> {
  await enforce(c.env.SESSION_RATE_LIMIT, sessionId, "Too many questions in this session. Please wait a minute.");
}

/** A 429 with the standard Retry-After header, in the API's error shape. */
export function tooManyRequests(detail: string, retryAfterSeconds?: number): HTTPException {
  const headers = retryAfterSeconds === undefined ? undefined : { "retry-after": String(retryAfterSeconds) };
  return new HTTPException(429, { message: detail, res: new Response(null, { headers }) });
}

async function enforce(limiter: RateLimit | undefined, key: string, detail: string): Promise<void> {
  if (!limiter) return;
  const { success } = await limiter.limit({ key });
  if (!success) throw tooManyRequests(detail, RATE_LIMIT_PERIOD_SECONDS);
}

// Cloudflare sets CF-Connecting-IP at its edge, overwriting whatever a client sent.
function clientKey(c: Context<AppEnv>): string {
  return c.req.header("cf-connecting-ip") ?? "unknown";
}
