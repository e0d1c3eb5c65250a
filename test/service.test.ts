import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../src/http/app";
import { SAMPLE_CORPUS } from "../src/knowledge/sample-corpus";
import { FakeVectorize } from "./fake-vectorize";
import { FakeWorkersAi } from "./fake-workers-ai";
import { call, getJson, getLocalJson, type Json } from "./helpers";

describe("service endpoints", () => {
  it("/health reports mode, providers and the sample knowledge base", async () => {
    const { status, body } = await getJson("/health");
    expect(status).toBe(200);
    expect(body).toMatchObject({
      status: "healthy",
      mode: "embedded",
      retriever: "keyword",
      generator: "extractive",
      timezone: "Asia/Makassar",
    });
    // Other test files add documents of their own.
    const files = (await getLocalJson("/files")).body as Array<{ filename: string; chunks: number }>;
    expect(files.map((file) => file.filename)).toEqual(
      expect.arrayContaining(SAMPLE_CORPUS.map((document) => document.filename)),
    );
    expect(body.total_files).toBe(files.length);
    expect(body.total_documents).toBe(files.reduce((sum, file) => sum + file.chunks, 0));
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("/health?deep=1 reports each check, and 503 with the reason when the vector index is not the one needed", async () => {
    const { status, body } = await getLocalJson("/health?deep=1");
    expect(status).toBe(200);
    expect(body.checks).toEqual({
      knowledge_base: { ok: true, detail: `${body.total_files} files`, latency_ms: expect.any(Number) },
    });
    const production = {
      ...env,
      RETRIEVER: "hybrid",
      GENERATOR: "workers-ai",
      AI: new FakeWorkersAi(),
      VECTORIZE: new FakeVectorize({ dimensions: 768 }),
    };
    const res = await app.request("/health?deep=1", {}, production);
    expect(res.status).toBe(503);
    const deep = await res.json<Json>();
    expect(deep.status).toBe("unhealthy");
    expect(deep.checks.vector_index).toMatchObject({ ok: false, detail: expect.stringMatching(/768 dimensions/) });
    expect(deep.checks.embedding_model).toMatchObject({ ok: true });
    expect(deep.checks.chat_model).toMatchObject({ ok: true, detail: expect.stringMatching(/answered/) });
  });

  it("/health?deep=1 needs the admin token when one is set, while /health stays open", async () => {
    const guarded = { ...env, ADMIN_TOKEN: "a-long-enough-admin-token-for-this-test" };
    expect((await app.request("/health?deep=1", {}, guarded)).status).toBe(401);
    expect((await app.request("/health", {}, guarded)).status).toBe(200);
    const headers = { authorization: "Bearer a-long-enough-admin-token-for-this-test" };
    expect((await app.request("/health?deep=1", { headers }, guarded)).status).toBe(200);
  });

  it("/timezone names WITA for Makassar and WIB for Jakarta", async () => {
    const { body } = await getJson("/timezone");
    expect(body).toMatchObject({ timezone: "Asia/Makassar", abbreviation: "WITA", utc_offset: "+08:00" });
    expect(body.now).toMatch(/\+08:00$/);
    expect(Math.abs(Date.parse(body.now) - Date.parse(body.now_utc))).toBeLessThan(1000);
    const jakarta = await app.request("/timezone", {}, { ...env, TIMEZONE: "Asia/Jakarta" });
    expect(await jakarta.json()).toMatchObject({ abbreviation: "WIB", utc_offset: "+07:00" });
  });

  it("/ gives browsers the chat page, with a Content-Security-Policy, its script and its icon", async () => {
    const page = await call("/", { headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(await page.text()).toContain("Percakapan baru");
    const script = await call("/static/chat.js");
    expect(script.status).toBe(200);
    expect(await script.text()).toContain("localStorage");
    const icon = await call("/static/favicon.svg");
    expect(icon.status).toBe(200);
    expect(icon.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
    expect((await call("/static/nope.js")).status).toBe(404);
  });

  it("/admin serves the staff console to anyone, under the chat page's Content-Security-Policy", async () => {
    const guarded = { ...env, ADMIN_TOKEN: "a-long-enough-admin-token-for-this-test" };
    const page = await app.request("/admin", {}, guarded);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await page.text()).toContain("Token admin");
    const chat = await call("/", { headers: { accept: "text/html" } });
    expect(page.headers.get("content-security-policy")).toBe(chat.headers.get("content-security-policy"));
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    const script = await app.request("/static/admin.js", {}, guarded);
    expect(script.status).toBe(200);
    expect(await script.text()).toContain("sessionStorage");
    // What the console shows comes from the admin API, which still wants the token.
    expect((await app.request("/files", {}, guarded)).status).toBe(401);
  });

  it("/ lists the endpoints", async () => {
    const { body } = await getJson("/");
    expect(body.name).toBe("Tanya Ma'il");
    expect(body.endpoints).toContain("POST /ask");
    // Every documented operation is listed, so the list cannot fall behind the API.
    const doc = (await getJson("/openapi.json")).body;
    for (const [path, methods] of Object.entries(doc.paths as Record<string, object>)) {
      for (const method of Object.keys(methods)) {
        if (path !== "/") expect(body.endpoints).toContain(`${method.toUpperCase()} ${path}`);
      }
    }
  });

  it("serves an OpenAPI document generated from the schemas, and its reference page", async () => {
    const { status, body } = await getJson("/openapi.json");
    expect(status).toBe(200);
    expect(body.openapi).toBe("3.1.0");
    const ask = body.paths["/ask"].post;
    const schema = body.components.schemas.AskRequest;
    expect(ask.requestBody.content["application/json"].schema.$ref).toBe("#/components/schemas/AskRequest");
    expect(schema.properties.question).toMatchObject({ type: "string", minLength: 1, maxLength: 4000 });
    expect(schema.properties.top_k).toMatchObject({ minimum: 1, maximum: 10, default: 3 });
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining(["/conversation/history/{session_id}", "/sessions", "/health", "/timezone"]),
    );
    const docs = await call("/docs");
    expect(docs.status).toBe(200);
    const page = await docs.text();
    expect(page).toContain('data-url="/openapi.json"');
    // One version of the reference's script, checked by hash, and nothing else may run.
    const script = /<script src="([^"]+)" integrity="(sha384-[A-Za-z0-9+/=]+)" crossorigin="anonymous">/.exec(page);
    expect(script?.[1]).toMatch(/@scalar\/api-reference@\d+\.\d+\.\d+\//);
    const policy = docs.headers.get("content-security-policy") ?? "";
    expect(policy).toContain(`script-src ${script?.[1]};`);
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("connect-src 'self'");
  });

  it("refuses to run with an invalid setting, saying so without details", async () => {
    const res = await app.request("/health", {}, { ...env, SESSION_TIMEOUT_SECONDS: "soon" });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ detail: "The server is misconfigured; see its logs" });
  });
});
