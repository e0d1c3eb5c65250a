// Guards admin endpoints. With ADMIN_TOKEN set they need it as a bearer token
// (Hono's bearerAuth), and failed attempts are rate limited per client.
// Without it (only outside production: see config.ts) they answer only
// requests addressed to a loopback host, a laptop running `npm run dev`, and
// never another site's page, whatever CORS_ORIGINS allows.
import type { Context } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { createMiddleware } from "hono/factory";
import { HTTPException } from "hono/http-exception";
import { settings } from "../config";
import type { AppEnv } from "./app-env";
import { limitFailedAdminAuth } from "./rate-limit";

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

const SET_A_TOKEN =
  "set ADMIN_TOKEN (at least 32 characters: `npx wrangler secret put ADMIN_TOKEN`, or ADMIN_TOKEN=… in .dev.vars) and send it as Authorization: Bearer <ADMIN_TOKEN>";

// A correct token passes even after failures: a throttle that locked out the
// right token would let anyone behind the same address lock out the admin.
async function refused(c: Context<AppEnv>): Promise<string> {
  await limitFailedAdminAuth(c);
  return "Missing or invalid admin token: send Authorization: Bearer <ADMIN_TOKEN>";
}

const byToken = bearerAuth({
  realm: "admin",
  verifyToken: (token, c: Context<AppEnv>) => sameSecret(token, settings(c.env).ADMIN_TOKEN ?? ""),
  noAuthenticationHeader: { message: refused },
  invalidAuthenticationHeader: { message: refused },
  invalidToken: { message: refused },
});

export const adminOnly = createMiddleware<AppEnv>(async (c, next) => {
  if (settings(c.env).ADMIN_TOKEN) return byToken(c, next);
  const url = new URL(c.req.url);
  if (!LOOPBACK_HOSTS.has(url.hostname)) {
    throw new HTTPException(403, {
      message: `Admin endpoints answer only on localhost without a token: ${SET_A_TOKEN}`,
    });
  }
  const origin = c.req.header("origin");
  if (origin !== undefined && origin !== url.origin) {
    throw new HTTPException(403, {
      message: `Admin endpoints do not answer other sites' pages without a token: ${SET_A_TOKEN}`,
    });
  }
  return next();
});

// Compares digests so neither the length nor the content leaks through timing.
async function sameSecret(a: string, b: string): Promise<boolean> {
  const encoder = new TextEncoder();
  const [da, db] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(a)),
    crypto.subtle.digest("SHA-256", encoder.encode(b)),
  ]);
  return crypto.subtle.timingSafeEqual(da, db);
}
