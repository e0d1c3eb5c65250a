// What the service is and how it is doing: /, /health and /timezone.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import { type HealthCheck, providers } from "../../answering/providers";
import { settings } from "../../config";
import { knowledgeBase } from "../../knowledge/knowledge-base";
import { isoInZone, utcOffset, zoneAbbreviation } from "../../timezone";
import { VERSION } from "../../version";
import { adminOnly } from "../admin-auth";
import type { AppEnv } from "../app-env";
import { errorResponses, jsonResponse } from "../openapi";
import { type HealthCheckResult, HealthQuery, HealthResponse, TimezoneResponse } from "../schemas";

const rootRoute = createRoute({
  method: "get",
  path: "/",
  tags: ["Service"],
  summary: "Name, version and endpoints (browsers asking for text/html get the chat page)",
  responses: {
    200: jsonResponse(
      z.object({
        name: z.string(),
        version: z.string(),
        description: z.string(),
        docs: z.string(),
        endpoints: z.array(z.string()),
      }),
      "About this service",
    ),
  },
});

const wantsDeep = (deep: string | undefined) => deep === "1" || deep === "true";

// The plain health check stays public; the deep one calls models and is admin-only.
const adminWhenDeep = createMiddleware<AppEnv>(async (c, next) => {
  if (wantsDeep(c.req.query("deep"))) return adminOnly(c, next);
  await next();
});

const healthRoute = createRoute({
  method: "get",
  path: "/health",
  tags: ["Service"],
  summary: "Mode, providers and knowledge-base counts; with deep=1 (admin), checks of what answering depends on",
  description:
    "With `deep=1` (admin: `Authorization: Bearer <ADMIN_TOKEN>`): checks the knowledge base and, in production, the vector index (1024 dimensions, " +
    "cosine), the embedding model and the chat model (one tiny call), each `{ok, detail, latency_ms}`; " +
    "`503` if any failed.",
  middleware: [adminWhenDeep] as const,
  request: { query: HealthQuery },
  responses: {
    200: jsonResponse(HealthResponse, "Healthy"),
    503: jsonResponse(HealthResponse, "With deep=1: a check failed"),
    ...errorResponses(401, 403, 422),
  },
});

const timezoneRoute = createRoute({
  method: "get",
  path: "/timezone",
  tags: ["Service"],
  summary: "The configured time zone and the current time in it",
  responses: { 200: jsonResponse(TimezoneResponse, "The time zone") },
});

/** GET /: what this service is; `endpoints` lists the API (app.ts reads it from the OpenAPI document). */
export const rootRoutes = (endpoints: () => string[]) =>
  new OpenAPIHono<AppEnv>().openapi(rootRoute, (c) =>
    c.json(
      {
        name: "Tanya Ma'il",
        version: VERSION,
        description: "Tanya jawab dokumen universitas (PMB, biaya, beasiswa, peraturan akademik)",
        docs: "/docs",
        endpoints: endpoints(),
      },
      200,
    ),
  );

export const serviceRoutes = new OpenAPIHono<AppEnv>()
  .openapi(healthRoute, async (c) => {
    const config = settings(c.env);
    const { retriever, generator, checks } = providers(c.env);
    const counts = await knowledgeBase(c.env).stats();
    const health = {
      version: VERSION,
      mode: config.MODE,
      retriever: retriever.name,
      generator: generator.name,
      ...counts,
      timezone: config.TIMEZONE,
    };
    if (!wantsDeep(c.req.valid("query").deep)) return c.json({ status: "healthy" as const, ...health }, 200);
    const results = await runChecks({ knowledge_base: async () => `${counts.total_files} files`, ...checks });
    if (Object.values(results).every((result) => result.ok)) {
      return c.json({ status: "healthy" as const, ...health, checks: results }, 200);
    }
    return c.json({ status: "unhealthy" as const, ...health, checks: results }, 503);
  })
  .openapi(timezoneRoute, (c) => {
    const zone = settings(c.env).TIMEZONE;
    const now = new Date();
    return c.json(
      {
        timezone: zone,
        abbreviation: zoneAbbreviation(zone, now),
        utc_offset: utcOffset(zone, now),
        now: isoInZone(now.getTime(), zone),
        now_utc: now.toISOString(),
      },
      200,
    );
  });

const DETAIL_CHARS = 300;

/** Runs every check at once, timing each; a check that throws failed, with its message as the detail. */
async function runChecks(checks: Record<string, HealthCheck>): Promise<Record<string, HealthCheckResult>> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<[string, HealthCheckResult]> => {
      const started = Date.now();
      try {
        const detail = await check();
        return [name, { ok: true, detail, latency_ms: Date.now() - started }];
      } catch (error) {
        const detail = (error instanceof Error ? error.message : String(error)).slice(0, DETAIL_CHARS);
        return [name, { ok: false, detail, latency_ms: Date.now() - started }];
      }
    }),
  );
  return Object.fromEntries(entries);
}
