// The one place errors become responses. Handlers throw HTTPException (or let
// anything else escape); clients always get JSON in the FastAPI shapes the old
// service's clients parse, and never a stack trace or a provider's message.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ZodError } from "zod";
import { ConfigError } from "../config";

interface FieldError {
  loc: Array<string | number>;
  msg: string;
  type: string;
}

const SESSION_NOT_FOUND = "Session not found";

/** An error in the API's shape, with Retry-After when waiting helps. */
export function httpError(status: ContentfulStatusCode, detail: string, retryAfterSeconds?: number): HTTPException {
  const headers = retryAfterSeconds === undefined ? undefined : { "retry-after": String(retryAfterSeconds) };
  return new HTTPException(status, { message: detail, res: new Response(null, { headers }) });
}

export function notFound(detail = SESSION_NOT_FOUND): HTTPException {
  return new HTTPException(404, { message: detail });
}

/** A 422 whose body is FastAPI's `{"detail": [{loc, msg, type}]}`. */
export class ValidationFailed extends HTTPException {
  constructor(readonly errors: FieldError[]) {
    super(422, { message: "Validation failed" });
  }
}

// FastAPI's names for where a value came from.
const LOCATIONS: Record<string, string> = { json: "body", param: "path", query: "query", header: "header" };

/** FastAPI's error list for a zod error on `input`, the value as it came from `target`. */
export function fieldErrors(target: string, error: ZodError, input: unknown): FieldError[] {
  const where = LOCATIONS[target] ?? target;
  return error.issues.map((issue) => {
    // zod does not keep the input on an issue, and names an absent value only in some messages.
    const missing = issue.path.length > 0 && valueAt(input, issue.path) === undefined;
    return {
      loc: [where, ...issue.path.map((part) => (typeof part === "number" ? part : String(part)))],
      msg: missing ? "Field required" : issue.message,
      type: missing ? "missing" : issueType(issue),
    };
  });
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = Reflect.get(value, key);
  }
  return value;
}

function issueType(issue: ZodError["issues"][number]): string {
  switch (issue.code) {
    case "too_small":
      return issue.origin === "string" ? "string_too_short" : "greater_than_equal";
    case "too_big":
      return issue.origin === "string" ? "string_too_long" : "less_than_equal";
    case "invalid_type":
      return `${issue.expected}_type`;
    case "invalid_value":
      return "literal_error";
    default:
      return issue.code;
  }
}

export async function errorResponse(error: Error, c: Context): Promise<Response> {
  if (error instanceof ValidationFailed) {
    return c.json({ detail: error.errors }, 422);
  }
  if (error instanceof HTTPException) {
    if (error.message === "Malformed JSON in request body") {
      return c.json(
        { detail: [{ loc: ["body"], msg: "JSON decode error: the body is not valid JSON", type: "json_invalid" }] },
        422,
      );
    }
    const headers = error.res?.headers;
    // Hono's own middleware (bearerAuth, say) puts its message in the response body.
    const detail = error.message || (await error.res?.text()) || defaultDetail(error.status);
    const response = c.json({ detail }, error.status);
    headers?.forEach((value, name) => {
      if (name !== "content-type") response.headers.set(name, value);
    });
    return response;
  }
  if (error instanceof ConfigError) {
    // Logged once, where it was found.
    return c.json({ detail: "The server is misconfigured; see its logs" }, 500);
  }
  console.error(JSON.stringify({ level: "error", error: error.name, message: error.message }));
  return c.json({ detail: "Internal server error" }, 500);
}

function defaultDetail(status: number): string {
  return status === 404 ? "Not Found" : status === 405 ? "Method Not Allowed" : "Request failed";
}
