// The web pages, served from Workers static assets (public/): the chat page,
// which browsers get at / (API clients asking for JSON still get the service
// description), and the staff console at /admin.
import type { Context } from "hono";
import type { AppEnv } from "./app-env";

// Scripts and styles come only from this origin; the page talks only to it.
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export function wantsWebPage(c: Context<AppEnv>): boolean {
  return (c.req.header("accept") ?? "").includes("text/html");
}

export async function webPage(c: Context<AppEnv>): Promise<Response> {
  const asset = await c.env.ASSETS.fetch(c.req.raw);
  if (asset.status === 404) return c.json({ detail: "Not Found" }, 404);
  const response = new Response(asset.body, asset);
  response.headers.set("content-security-policy", CONTENT_SECURITY_POLICY);
  response.headers.set("x-content-type-options", "nosniff");
  return response;
}
