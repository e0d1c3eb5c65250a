// What browsers are allowed to do with responses: CORS for other sites'
// pages (CORS_ORIGINS; "*" by default in embedded mode, required in
// production) and the security headers every response carries.
import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { secureHeaders } from "hono/secure-headers";
import { settings } from "../config";
import type { AppEnv } from "./app-env";

export const securityHeaders = secureHeaders({ xFrameOptions: "DENY", referrerPolicy: "no-referrer" });

// Built once per configured value rather than on every request.
const corsByOrigins = new Map<string, MiddlewareHandler>();

export const crossOrigin: MiddlewareHandler<AppEnv> = (c, next) => {
  // Unset only in embedded mode: settings refuse production without it.
  const configured = settings(c.env).CORS_ORIGINS ?? "*";
  let handler = corsByOrigins.get(configured);
  if (!handler) {
    const origins = configured
      .split(",")
      .map((origin) => origin.trim())
      .filter(Boolean);
    handler = cors({
      origin: origins.includes("*") ? "*" : (origin) => (origins.includes(origin) ? origin : null),
      allowMethods: ["GET", "POST", "DELETE", "OPTIONS"],
      allowHeaders: ["content-type", "authorization", "accept", "last-event-id"],
      exposeHeaders: ["content-disposition", "retry-after"],
      maxAge: 600,
    });
    corsByOrigins.set(configured, handler);
  }
  return handler(c, next);
};
