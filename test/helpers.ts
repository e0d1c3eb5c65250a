// Talking to the Worker as a client would, through its real fetch handler.
import { exports } from "cloudflare:workers";

export type Json = Record<string, any>;

// Each request comes from an address of its own, as from many users: the
// files share one runtime, and with it the per-client rate limit, which only
// rate-limits.test.ts is about.
export function call(path: string, init?: RequestInit): Promise<Response> {
  const request = new Request(`http://tanya.test${path}`, init);
  if (!request.headers.has("cf-connecting-ip")) request.headers.set("cf-connecting-ip", crypto.randomUUID());
  return exports.default.fetch(request);
}

export async function postJson(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return call(path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

export async function ask(question: string, extra: Json = {}): Promise<Json> {
  const res = await postJson("/ask", { question, ...extra });
  if (res.status !== 200) throw new Error(`ask failed: ${res.status} ${await res.text()}`);
  return res.json();
}

export async function getJson(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Json }> {
  const res = await call(path, { headers });
  return { status: res.status, body: await res.json() };
}

/** Reads an SSE response into its `data` events, in order. */
export async function readEvents(res: Response): Promise<Json[]> {
  const text = await res.text();
  return parseEvents(text);
}

export function parseEvents(text: string): Json[] {
  return text
    .split("\n\n")
    .map((block) => block.split("\n").find((line) => line.startsWith("data: ")))
    .filter((line): line is string => line !== undefined)
    .map((line) => JSON.parse(line.slice("data: ".length)));
}
