// What students ask and how the answers do, for the staff: GET /insights as
// JSON and GET /insights.csv as a spreadsheet. Admin-protected.
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { insightsCsv } from "../../insights/insights-csv";
import { insightsObject } from "../../insights/insights-object";
import { adminOnly } from "../admin-auth";
import type { AppEnv } from "../app-env";
import { errorResponses, jsonResponse } from "../openapi";
import { InsightsQuery, InsightsResponse } from "../schemas";

const tags = ["Insights"];
const security = [{ adminToken: [] }];
const middleware = adminOnly;

const insightsRoute = createRoute({
  method: "get",
  path: "/insights",
  tags,
  security,
  middleware,
  summary: "What was asked over the last `days` days, what went unanswered, and how answers were rated",
  description:
    "Dates are calendar days in TIMEZONE, today included. Records hold no session id and nothing that identifies " +
    "who asked; they are kept for INSIGHTS_RETENTION_DAYS.",
  request: { query: InsightsQuery },
  responses: { 200: jsonResponse(InsightsResponse, "The report"), ...errorResponses(401, 403, 422) },
});

const csvRoute = createRoute({
  method: "get",
  path: "/insights.csv",
  tags,
  security,
  middleware,
  summary: "The same report as a CSV attachment for a spreadsheet",
  description:
    "Columns `section,date,question,filename,value,unanswered,last_asked,answer_excerpt,comment`: one row per " +
    "number (`questions`, `answered`, `feedback_up`, `feedback_down`, `latency_p50_ms`, `latency_p95_ms`) and per " +
    "entry of `per_day` (value: questions), `top_questions`, `unanswered`, `disliked` (value: count) and " +
    "`top_sources` (value: citations).",
  request: { query: InsightsQuery },
  responses: {
    200: { description: "The report as CSV", content: { "text/csv": { schema: { type: "string" } } } },
    ...errorResponses(401, 403, 422),
  },
});

export const insightsRoutes = new OpenAPIHono<AppEnv>()
  .openapi(insightsRoute, async (c) => {
    const { days } = c.req.valid("query");
    return c.json(await insightsObject(c.env).report(days), 200);
  })
  .openapi(csvRoute, async (c) => {
    const { days } = c.req.valid("query");
    const report = await insightsObject(c.env).report(days);
    return c.body(insightsCsv(report), 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="insights-${report.period.from}-${report.period.to}.csv"`,
    });
  });
