// Guards admin endpoints. With ADMIN_TOKEN set they need its bearer token; without
// it, embedded mode (a laptop) leaves them open and production refuses them.
import { createMiddleware } from "hono/factory";
import { HTTPException } from "hono/http-exception";
import { settings } from "../config";
import type { AppEnv } from "./app-env";

export const adminOnly = createMiddleware<AppEnv>(async (c, next) => {
  const { ADMIN_TOKEN, MODE } = settings(c.env);
  if (!ADMIN_TOKEN) {
    if (MODE === "production") {
      throw new HTTPException(403, {
        message:
          "Admin endpoints are disabled: set the ADMIN_TOKEN secret (npx wrangler secret put ADMIN_TOKEN --env production)",
      });
    }
    return next();
  }
  const presented = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header("authorization") ?? "")?.[1];
  if (!presented || !(await sameSecret(presented, ADMIN_TOKEN))) {
    throw new HTTPException(401, {
      message: "Missing or invalid admin token: send Authorization: Bearer <ADMIN_TOKEN>",
      res: new Response(null, { headers: { "www-authenticate": 'Bearer realm="admin"' } }),
    });
  }
  return next();
});

export function adminAuthState(env: Env): "enabled" | "disabled" {
  return settings(env).ADMIN_TOKEN ? "enabled" : "disabled";
}

// Compares digests so neither the length nor the content leaks through timing.
async function sameSecret(a: string, b: string): Promise<boolean> {
  const encoder = new TextEncoder();
  const [da, db] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(a)),
    crypto.subtle.digest("SHA-256", encoder.encode(b)),
  ]);
  return crypto.subtle.timingSafeEqual(da, db);
}
