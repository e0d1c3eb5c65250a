// Talking to the Worker as a client would, through its real fetch handler.
import { exports } from "cloudflare:workers";

export type Json = Record<string, any>;

// Each request comes from an address of its own (a fresh IPv6 /64), as from
// many users, unless `init` names one: the files share one runtime, and with
// it the per-client rate limits, which only rate-limits.test.ts is about.
export function call(path: string, init?: RequestInit, origin = "http://tanya.test"): Promise<Response> {
  const request = new Request(`${origin}${path}`, init);
  if (!request.headers.has("cf-connecting-ip")) request.headers.set("cf-connecting-ip", anotherClient());
  return exports.default.fetch(request);
}

/** Without ADMIN_TOKEN, admin endpoints answer only on a loopback host, as under `npm run dev`. */
export function callLocal(path: string, init?: RequestInit): Promise<Response> {
  return call(path, init, "http://localhost");
}

export function anotherClient(): string {
  const [a, b] = crypto.getRandomValues(new Uint16Array(2));
  return `2001:db8:${a?.toString(16)}:${b?.toString(16)}::1`;
}

/** Uploads a file as a browser or curl would: multipart, with its Content-Length. */
export function upload(
  filename: string,
  content: string | ArrayBuffer | Uint8Array,
  type = "application/octet-stream",
): Promise<Response> {
  const form = new FormData();
  form.append("file", new File([content], filename, { type }));
  return postForm(form);
}

/** POSTs a multipart form to /upload on a loopback host, or through `send`. */
export async function postForm(
  form: FormData,
  send: (init: RequestInit) => Response | Promise<Response> = uploadLocally,
) {
  const body = new Response(form);
  const bytes = await body.arrayBuffer();
  return send({
    method: "POST",
    headers: { "content-type": body.headers.get("content-type") ?? "", "content-length": String(bytes.byteLength) },
    body: bytes,
  });
}

const uploadLocally = (init: RequestInit) => callLocal("/upload", init);

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
  send: typeof call = call,
): Promise<{ status: number; body: Json }> {
  const res = await send(path, { headers });
  return { status: res.status, body: await res.json() };
}

/** `getJson` on a loopback host, for admin endpoints. */
export function getLocalJson(path: string, headers: Record<string, string> = {}) {
  return getJson(path, headers, callLocal);
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
