// What browsers are allowed to do with responses: CORS for other sites'
// pages (CORS_ORIGINS; "*" by default in embedded mode, required in
// production; admin endpoints without a token never answer them, see
// admin-auth.ts) and the security headers every response carries.
import type { Context } from "hono";
import { cors } from "hono/cors";
import { secureHeaders } from "hono/secure-headers";
import { settings } from "../config";
import type { AppEnv } from "./app-env";

export const securityHeaders = secureHeaders({ xFrameOptions: "DENY", referrerPolicy: "no-referrer" });

export const crossOrigin = cors({
  // Unset only in embedded mode: settings refuse production without it.
  origin: (origin, c: Context<AppEnv>) => allowedOrigin(origin, settings(c.env).CORS_ORIGINS ?? "*"),
  allowMethods: ["GET", "POST", "DELETE", "OPTIONS"],
  allowHeaders: ["content-type", "authorization", "accept", "last-event-id"],
  exposeHeaders: ["content-disposition", "retry-after"],
  maxAge: 600,
});

function allowedOrigin(origin: string, configured: string): string | null {
  const origins = configured.split(",").map((entry) => entry.trim());
  if (origins.includes("*")) return "*";
  return origins.includes(origin) ? origin : null;
}
