import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { app } from "../src/http/app";

const TOKEN = "c2VjcmV0LXRva2VuLWZvci10ZXN0cy0xMjM0NTY3OA==";
const production = {
  ...env,
  MODE: "production",
  LOAD_SAMPLE_CORPUS: "false",
  CORS_ORIGINS: "https://unm.ac.id",
  ADMIN_TOKEN: TOKEN,
};

afterEach(() => vi.restoreAllMocks());

/** Requests to a Worker with these settings; returns the responses and what it logged. */
async function serve(vars: Record<string, unknown>, paths = ["/timezone", "/health", "/"]) {
  const errors = vi.spyOn(console, "error").mockImplementation(() => {});
  errors.mockClear();
  const bindings = { ...vars };
  const responses = [];
  for (const path of paths) responses.push(await app.request(path, {}, bindings));
  const logged = errors.mock.calls.map((args) => String(args[0])).filter((line) => line.includes("ConfigError"));
  return { responses, logged };
}

describe("configuration", () => {
  it("lets production serve once ADMIN_TOKEN, CORS_ORIGINS and every rate limit are in place", async () => {
    const { responses } = await serve(production);
    for (const res of responses) expect(res.status).toBe(200);
  });

  for (const [missing, vars] of [
    ["ADMIN_TOKEN", { ...production, ADMIN_TOKEN: undefined }],
    ["CORS_ORIGINS", { ...production, CORS_ORIGINS: undefined }],
    ["NEW_SESSION_RATE_LIMIT", { ...production, NEW_SESSION_RATE_LIMIT: undefined }],
    ["ADMIN_AUTH_RATE_LIMIT", { ...production, ADMIN_AUTH_RATE_LIMIT: undefined }],
    ["CLIENT_RATE_LIMIT", { ...production, CLIENT_RATE_LIMIT: undefined }],
  ] as const) {
    it(`refuses to serve in production without ${missing}, logging why once`, async () => {
      const { responses, logged } = await serve(vars);
      for (const res of responses) {
        expect(res.status).toBe(500);
        expect(await res.json()).toEqual({ detail: "The server is misconfigured; see its logs" });
      }
      expect(logged).toHaveLength(1);
      expect(logged[0]).toContain(missing);
    });
  }

  it("refuses an ADMIN_TOKEN shorter than 32 characters, in any mode, without logging it", async () => {
    const short = "hanya-dua-puluh-tujuh-karakter";
    const { responses, logged } = await serve({ ...env, ADMIN_TOKEN: short });
    for (const res of responses) expect(res.status).toBe(500);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/ADMIN_TOKEN: must be at least 32 characters/);
    expect(logged[0]).not.toContain(short);
    const spaced = await serve({ ...env, ADMIN_TOKEN: `${"x".repeat(32)} !` });
    expect(spaced.logged[0]).toMatch(/ADMIN_TOKEN: may hold only/);
    expect(spaced.logged[0]).not.toContain("x".repeat(32));
  });

  it("never leaks a setting's value when it is invalid", async () => {
    const { responses, logged } = await serve({ ...production, ADMIN_TOKEN: "rahasia", CORS_ORIGINS: undefined });
    expect(responses[0]?.status).toBe(500);
    expect(logged[0]).toContain("ADMIN_TOKEN");
    expect(logged[0]).toContain("CORS_ORIGINS");
    expect(logged[0]).not.toContain("rahasia");
  });
});
