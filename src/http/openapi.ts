// Shared pieces of the OpenAPI route definitions.
import type { ZodType } from "zod";
import { ErrorResponse, ValidationErrorResponse } from "./schemas";

const ERROR_DESCRIPTIONS: Record<number, string> = {
  401: "Missing or wrong admin token",
  403: "Without ADMIN_TOKEN, admin endpoints answer only same-origin requests to localhost",
  404: "Session not found",
  411: "Content-Length is required",
  413: "Request body too large, or the document is past a reading limit (pages, expansion, characters, passages)",
  415: "Content-Type must be application/json",
  422: "Validation error, or a document that cannot be read (in time)",
  429: "Too many requests, or the session's budget is used up; see Retry-After where waiting helps",
  502: "The model failed to answer; nothing was stored",
  503: "The knowledge base is unavailable, or the model is busy (then with Retry-After, in seconds); nothing was stored",
  504: "The model took longer than ANSWER_TIMEOUT_SECONDS",
};

export function errorResponses<S extends number>(...statuses: S[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: ERROR_DESCRIPTIONS[status] ?? "Error",
        content: { "application/json": { schema: status === 422 ? ValidationErrorResponse : ErrorResponse } },
      },
    ]),
  ) as Record<S, { description: string; content: { "application/json": { schema: typeof ErrorResponse } } }>;
}

/** "METHOD /path" for each operation of an OpenAPI document, in its order. */
export function operations(document: { paths?: Record<string, object> }): string[] {
  return Object.entries(document.paths ?? {}).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
  );
}

export function jsonBody<T extends ZodType>(schema: T) {
  return { required: true, content: { "application/json": { schema } } } as const;
}

export function jsonResponse<T extends ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } } as const;
}
