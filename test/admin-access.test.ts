import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../src/http/app";
import { anotherClient, call, callLocal, type Json } from "./helpers";

const TOKEN = "c2VjcmV0LXRva2VuLWZvci10ZXN0cy0xMjM0NTY3OA==";
const withToken = { ...env, ADMIN_TOKEN: TOKEN };

const ADMIN_ROUTES = [
  ["GET", "/sessions"],
  ["GET", "/files"],
  ["POST", "/upload"],
  ["DELETE", "/files/x.txt"],
  ["POST", "/build-vectorstore"],
  ["GET", "/search?query=biaya"],
] as const;

describe("admin endpoints without ADMIN_TOKEN", () => {
  it("answer 403 to any host but a loopback one, saying how to set the token", async () => {
    for (const [method, path] of ADMIN_ROUTES) {
      const res = await call(path, { method });
      expect(res.status, path).toBe(403);
      const { detail } = await res.json<Json>();
      expect(detail).toMatch(/ADMIN_TOKEN.*32 characters.*Authorization: Bearer/);
    }
    for (const host of [
      "http://tanya-mail.example.workers.dev",
      "http://10.0.0.5:8787",
      "http://localhost.evil.example",
    ]) {
      expect((await call("/sessions", {}, host)).status, host).toBe(403);
    }
  });

  it("serve requests addressed to localhost, 127.0.0.1 and [::1]", async () => {
    for (const host of ["http://localhost:8787", "http://127.0.0.1:8787", "http://[::1]:8787"]) {
      expect((await call("/files", {}, host)).status, host).toBe(200);
    }
  });

  it("do not answer another site's page, whatever CORS allows", async () => {
    const res = await callLocal("/sessions", { headers: { origin: "https://evil.example" } });
    expect(res.status).toBe(403);
    expect((await res.json<Json>()).detail).toMatch(/other sites' pages/);
    const form = await callLocal("/files/pmb-jadwal.md", { method: "DELETE", headers: { origin: "null" } });
    expect(form.status).toBe(403);
    const own = await callLocal("/sessions", { headers: { origin: "http://localhost" } });
    expect(own.status).toBe(200);
  });

  it("are not advertised by /health", async () => {
    const body = await (await call("/health")).json<Json>();
    expect(body).not.toHaveProperty("admin_auth");
    expect(JSON.stringify(body)).not.toMatch(/admin/i);
  });
});

describe("admin endpoints with ADMIN_TOKEN", () => {
  it("require the bearer token from any host, answering 401 in JSON with WWW-Authenticate", async () => {
    // A client of its own: failed attempts are counted per client.
    const client = { "cf-connecting-ip": anotherClient() };
    for (const [method, path] of ADMIN_ROUTES) {
      const missing = await app.request(path, { method, headers: client }, withToken);
      expect(missing.status, path).toBe(401);
      expect(missing.headers.get("www-authenticate")).toMatch(/^Bearer realm="admin"/);
      expect(await missing.json()).toEqual({ detail: expect.stringContaining("admin token") });
    }
    const wrong = await app.request("/sessions", { headers: { ...client, authorization: "Bearer nope" } }, withToken);
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toMatch(/error="invalid_token"/);
    const right = { authorization: `Bearer ${TOKEN}` };
    expect((await app.request("http://tanya.test/sessions", { headers: right }, withToken)).status).toBe(200);
  });

  it("throttle failed attempts per client, but still let the right token in", async () => {
    const client = { "cf-connecting-ip": anotherClient() };
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const headers = { ...client, authorization: `Bearer guess-${i}` };
      statuses.push((await app.request("/files", { headers }, withToken)).status);
    }
    // Counted in one-minute windows: at most two windows' worth get through before a 429.
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses).toContain(429);
    expect(statuses.indexOf(429)).toBeLessThanOrEqual(20);
    const throttled = await app.request("/files", { headers: { ...client, authorization: "Bearer x" } }, withToken);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get("retry-after")).toBe("60");
    expect((await throttled.json<Json>()).detail).toMatch(/failed admin authentications/);
    const right = { ...client, authorization: `Bearer ${TOKEN}` };
    expect((await app.request("/files", { headers: right }, withToken)).status).toBe(200);
    // Another client is not held back by this one's failures.
    const other = { "cf-connecting-ip": anotherClient(), authorization: "Bearer nope" };
    expect((await app.request("/files", { headers: other }, withToken)).status).toBe(401);
  });
});
