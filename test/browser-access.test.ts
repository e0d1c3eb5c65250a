import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../src/http/app";
import { call, postJson } from "./helpers";

const production = {
  ...env,
  MODE: "production",
  CORS_ORIGINS: undefined,
  ADMIN_TOKEN: "c2VjcmV0LXRva2VuLWZvci10ZXN0cy0xMjM0NTY3OA==",
  LOAD_SAMPLE_CORPUS: "false",
};

describe("security headers", () => {
  it("come with every response: JSON, errors, streams and the page", async () => {
    const responses = [
      await call("/health"),
      await call("/nope"),
      await postJson("/ask", { question: "Apa itu PMB?", stream: true }),
      await call("/", { headers: { accept: "text/html" } }),
    ];
    for (const res of responses) {
      expect(res.headers.get("x-content-type-options"), res.url).toBe("nosniff");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      expect(res.headers.get("strict-transport-security")).toMatch(/max-age=/);
      await res.body?.cancel();
    }
  });
});

describe("CORS", () => {
  it("lets any site's browser call the API in embedded mode, preflight included", async () => {
    const res = await call("/health", { headers: { origin: "https://contoh.ac.id" } });
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const preflight = await call("/ask", {
      method: "OPTIONS",
      headers: { origin: "https://contoh.ac.id", "access-control-request-method": "POST" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-methods")).toContain("POST");
    expect(preflight.headers.get("access-control-allow-headers")).toContain("content-type");
  });

  it("refuses to serve in production until CORS_ORIGINS is set, then allows only those sites", async () => {
    const unset = await app.request("/timezone", { headers: { origin: "https://contoh.ac.id" } }, production);
    expect(unset.status).toBe(500);
    expect(await unset.json()).toEqual({ detail: "The server is misconfigured; see its logs" });
    expect(unset.headers.get("access-control-allow-origin")).toBeNull();
    const configured = { ...production, CORS_ORIGINS: "https://pmb.unm.ac.id, https://unm.ac.id" };
    const allowed = await app.request("/timezone", { headers: { origin: "https://unm.ac.id" } }, configured);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://unm.ac.id");
    const other = await app.request("/timezone", { headers: { origin: "https://evil.example" } }, configured);
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });
});
