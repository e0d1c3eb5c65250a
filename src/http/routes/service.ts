// What the service is and how it is doing: /, /health and /timezone.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { providers } from "../../answering/providers";
import { settings } from "../../config";
import { knowledgeBase } from "../../knowledge/knowledge-base";
import { isoInZone, utcOffset, zoneAbbreviation } from "../../timezone";
import { VERSION } from "../../version";
import type { AppEnv } from "../app-env";
import { jsonResponse } from "../openapi";
import { HealthResponse, TimezoneResponse } from "../schemas";

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

const healthRoute = createRoute({
  method: "get",
  path: "/health",
  tags: ["Service"],
  summary: "Mode, providers and knowledge-base counts",
  responses: { 200: jsonResponse(HealthResponse, "Healthy") },
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
    const { retriever, generator } = providers(c.env);
    const counts = await knowledgeBase(c.env).stats();
    return c.json(
      {
        status: "healthy" as const,
        version: VERSION,
        mode: config.MODE,
        retriever: retriever.name,
        generator: generator.name,
        ...counts,
        timezone: config.TIMEZONE,
      },
      200,
    );
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
