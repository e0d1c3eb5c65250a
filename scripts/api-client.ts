// A small client for the Tanya Ma'il HTTP API, shared by the Node scripts
// (terminal chat, ingest, eval, smoke, the session check) and the web pages
// (so it uses nothing but fetch).
// Streams are parsed with eventsource-parser.
import { EventSourceParserStream } from "eventsource-parser/stream";
import type { AnswerEvent } from "../src/http/schemas.ts";

export const DEFAULT_URL = "http://localhost:8787";

/** The API answered with an error status; `detail` is its message, `retryAfter` its Retry-After in seconds. */
export class ApiError extends Error {
  readonly status: number;
  readonly retryAfter: number | undefined;
  constructor(status: number, detail: string, retryAfter?: number) {
    super(detail);
    this.name = "ApiError";
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

/** The API could not be reached at all. */
export class Unreachable extends Error {
  constructor(url: string) {
    super(`Tidak dapat terhubung ke API di ${url}`);
    this.name = "Unreachable";
  }
}

export class ApiClient {
  readonly baseUrl: string;
  readonly #headers: Record<string, string>;

  constructor(baseUrl: string, adminToken?: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
    this.#headers = adminToken ? { authorization: `Bearer ${adminToken}` } : {};
  }

  async request<T>(path: string, init: RequestInit = {}): Promise<T> {
    return (await (await this.response(path, init)).json()) as T;
  }

  /** The response, once it is known to be a success: for bodies that are not JSON. */
  async response(path: string, init: RequestInit = {}): Promise<Response> {
    const response = await this.#fetch(path, init);
    if (!response.ok) throw await apiError(response);
    return response;
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>(path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>(path, { method: "DELETE" });
  }

  /**
   * Asks with `stream: true`, yielding the server's events as they arrive.
   * If the connection drops before the answer ends, the stream is resumed
   * (GET /ask/stream/{session_id}) after the last event received.
   */
  async *askStream(question: string, sessionId: string | null, signal?: AbortSignal): AsyncGenerator<AnswerEvent> {
    const response = await this.#fetch("/ask", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ question, stream: true, session_id: sessionId }),
      signal,
    });
    if (!response.ok || !response.body) throw await apiError(response);
    let session = sessionId;
    let lastId = 0;
    let body: Response["body"] = response.body;
    for (let attempt = 0; body; attempt++) {
      try {
        const events = body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream());
        for await (const message of events) {
          const event: AnswerEvent = JSON.parse(message.data);
          lastId = Number(message.id) || lastId;
          if (event.type === "session") session = event.session_id;
          yield event;
          if (event.type === "done" || event.type === "error") return;
        }
      } catch (error) {
        if (signal?.aborted) throw error;
      }
      if (!session || attempt >= RESUME_ATTEMPTS) break;
      await new Promise((resolve) => setTimeout(resolve, 500 * (attempt + 1)));
      const resumed = await this.#fetch(`/ask/stream/${encodeURIComponent(session)}?last_event_id=${lastId}`, {
        signal,
      }).catch(() => null);
      body = resumed?.ok ? resumed.body : null;
    }
    throw new Unreachable(this.baseUrl);
  }

  async #fetch(path: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(`${this.baseUrl}${path}`, { ...init, headers: { ...this.#headers, ...init.headers } });
    } catch (error) {
      if (init.signal?.aborted) throw error;
      throw new Unreachable(this.baseUrl);
    }
  }
}

const RESUME_ATTEMPTS = 3;

/** The error an unsuccessful response stands for, with its Retry-After (seconds) when it has one. */
async function apiError(response: Response): Promise<ApiError> {
  const retryAfter = Number(response.headers.get("retry-after") ?? Number.NaN);
  return new ApiError(response.status, await detailOf(response), Number.isFinite(retryAfter) ? retryAfter : undefined);
}

async function detailOf(response: Response): Promise<string> {
  return detailFrom(await response.json().catch(() => null), response.status);
}

/** The message of an error body: its `detail`, or the messages of a validation error's list. */
export function detailFrom(body: unknown, status: number): string {
  const detail = typeof body === "object" && body !== null && "detail" in body ? body.detail : undefined;
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) return detail.map((item: { msg?: string }) => item.msg).join("; ");
  return `HTTP ${status}`;
}
