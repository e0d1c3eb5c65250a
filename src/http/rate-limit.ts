// Requests per client and per session, new sessions per client and failed
// admin authentications per client, counted by the Workers Rate Limiting
// bindings ([[ratelimits]] in wrangler.toml, which also count under
// `wrangler dev`). Production refuses to start without them (config.ts).
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import ipaddr from "ipaddr.js";
import type { AppEnv } from "./app-env";
import { httpError } from "./errors";

/** The period of every binding: after it, the count starts again. */
const RATE_LIMIT_PERIOD_SECONDS = 60;

export const limitClient = createMiddleware<AppEnv>(async (c, next) => {
  await enforce(c.env.CLIENT_RATE_LIMIT, clientKey(c), "Too many requests from this client. Please wait a minute.");
  await next();
});

export async function limitSession(c: Context<AppEnv>, sessionId: string): Promise<void> {
  await enforce(c.env.SESSION_RATE_LIMIT, sessionId, "Too many questions in this session. Please wait a minute.");
}

// A question without a session starts a new one, with fresh budgets; this is
// what keeps one client from multiplying them.
export async function limitNewSession(c: Context<AppEnv>): Promise<void> {
  await enforce(
    c.env.NEW_SESSION_RATE_LIMIT,
    clientKey(c),
    "Too many new sessions from this client. Please wait a minute, or continue a session by sending its session_id.",
  );
}

export async function limitFailedAdminAuth(c: Context<AppEnv>): Promise<void> {
  await enforce(
    c.env.ADMIN_AUTH_RATE_LIMIT,
    clientKey(c),
    "Too many failed admin authentications from this client. Please wait a minute.",
  );
}

// Unset only outside production, where settings refuse to start without it.
async function enforce(limiter: RateLimit | undefined, key: string, detail: string): Promise<void> {
  if (!limiter) return;
  const { success } = await limiter.limit({ key });
  if (!success) throw httpError(429, detail, RATE_LIMIT_PERIOD_SECONDS);
}

/**
 * Who is asking: the address Cloudflare's edge saw (CF-Connecting-IP, which
 * it overwrites whatever a client sent). An IPv6 client is its /64, the
 * smallest network a provider gives one subscriber, so rotating addresses
 * within it counts as one client.
 */
export function clientKey(c: Context<AppEnv>): string {
  const address = c.req.header("cf-connecting-ip");
  if (!address) return "unknown";
  try {
    const parsed = ipaddr.process(address);
    if (parsed.kind() === "ipv4") return parsed.toString();
    return `${parsed.toNormalizedString().split(":").slice(0, 4).join(":")}::/64`;
  } catch {
    return address;
  }
}
