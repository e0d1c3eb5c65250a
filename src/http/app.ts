// The HTTP surface: middleware, the route groups, the OpenAPI document and
// the single place where errors become responses.
import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import { settings } from "../config";
import { VERSION } from "../version";
import { apiDocs } from "./api-docs";
import type { AppEnv } from "./app-env";
import { crossOrigin, securityHeaders } from "./browser-access";
import { errorResponse, fieldErrors, ValidationFailed } from "./errors";
import { operations } from "./openapi";
import { requestLog } from "./request-log";
import { askRoutes } from "./routes/ask";
import { clientConfigRoutes } from "./routes/client-config";
import { conversationRoutes } from "./routes/conversation";
import { documentRoutes } from "./routes/documents";
import { feedbackRoutes } from "./routes/feedback";
import { insightsRoutes } from "./routes/insights";
import { rootRoutes, serviceRoutes } from "./routes/service";
import { sessionRoutes } from "./routes/sessions";
import { wantsWebPage, webPage } from "./web-page";

const MAX_JSON_BODY_BYTES = 64 * 1024;
const JSON_BODY_PATHS = ["/ask", "/conversation/config", "/feedback"];

export const app = new OpenAPIHono<AppEnv>({
  defaultHook: (result) => {
    if (result.success) return;
    // The validator passes the input as `data` on failure too; zod-openapi's type leaves it out.
    const input = "data" in result ? result.data : undefined;
    throw new ValidationFailed(fieldErrors(result.target, result.error, input));
  },
});

app.use(requestId());
app.use(requestLog);
// A misconfigured service (production without ADMIN_TOKEN, say) serves nothing.
app.use(async (c, next) => {
  settings(c.env);
  await next();
});
app.use(securityHeaders);
app.use(crossOrigin);

// A conversation is one user's, and the insights hold what students asked: no
// browser or shared cache may keep any part of them.
for (const path of [
  "/ask",
  "/ask/*",
  "/conversation/*",
  "/session/*",
  "/sessions",
  "/feedback/*",
  "/insights",
  "/insights.csv",
]) {
  app.use(path, async (c, next) => {
    await next();
    c.res.headers.set("cache-control", "no-store");
  });
}

// JSON bodies: a wrong Content-Type is a client mistake worth naming, and a
// body is capped before anything reads it.
const jsonBodyLimit = bodyLimit({
  maxSize: MAX_JSON_BODY_BYTES,
  onError: () => {
    throw new HTTPException(413, { message: `Request body is larger than ${MAX_JSON_BODY_BYTES} bytes` });
  },
});
app.use(async (c, next) => {
  if (c.req.method !== "POST" || !JSON_BODY_PATHS.some((path) => c.req.path.startsWith(path))) {
    return next();
  }
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/(?:[\w.-]+\+)?json\b/i.test(type)) {
    throw new HTTPException(415, { message: "Content-Type must be application/json" });
  }
  return jsonBodyLimit(c, next);
});

// Browsers opening / get the chat page; everyone else gets the JSON below.
app.get("/", async (c, next) => (wantsWebPage(c) ? webPage(c) : next()));
// The staff console; the admin API it calls checks the token, the page itself holds nothing.
app.get("/admin", webPage);
app.get("/static/*", webPage);

for (const routes of [
  askRoutes,
  conversationRoutes,
  feedbackRoutes,
  sessionRoutes,
  documentRoutes,
  insightsRoutes,
  rootRoutes(endpoints),
  serviceRoutes,
  clientConfigRoutes,
]) {
  app.route("/", routes);
}

const OPENAPI_DOCUMENT = {
  openapi: "3.1.0",
  info: {
    title: "Tanya Ma'il API",
    version: VERSION,
    description: "Question answering over a university's documents, with durable per-user sessions.",
  },
};
app.openAPIRegistry.registerComponent("securitySchemes", "adminToken", { type: "http", scheme: "bearer" });
app.doc31("/openapi.json", OPENAPI_DOCUMENT);
app.get("/docs", apiDocs);

// GET / lists what the OpenAPI document describes (but itself), and the two documentation routes.
let listed: string[] | undefined;
function endpoints(): string[] {
  listed ??= [
    ...operations(app.getOpenAPI31Document(OPENAPI_DOCUMENT)).filter((operation) => operation !== "GET /"),
    "GET /openapi.json",
    "GET /docs",
  ];
  return listed;
}

app.notFound((c) => {
  const allowed = allowedMethods(c.req.path);
  if (allowed.length > 0) {
    return c.json({ detail: "Method Not Allowed" }, 405, { allow: allowed.join(", ") });
  }
  return c.json({ detail: "Not Found" }, 404);
});

app.onError(errorResponse);

// FastAPI answers a known path with the wrong method with 405, and clients rely on it.
function allowedMethods(path: string): string[] {
  const methods = new Set<string>();
  for (const route of app.routes) {
    if (route.method === "ALL") continue;
    const pattern = new RegExp(`^${route.path.replace(/:[^/]+/g, "[^/]+")}/?$`);
    if (pattern.test(path)) methods.add(route.method);
  }
  return [...methods];
}
