import { describe, expect, it } from "vitest";
import { ask, call, getJson, type Json, postJson } from "./helpers";

async function expect422(res: Response, field: string) {
  expect(res.status).toBe(422);
  const body = await res.json<Json>();
  expect(Array.isArray(body.detail)).toBe(true);
  expect(body.detail[0]).toEqual({
    loc: field ? ["body", field] : ["body"],
    msg: expect.any(String),
    type: expect.any(String),
  });
  return body.detail[0];
}

describe("POST /ask validation", () => {
  it.each([
    ["question", {}, "missing"],
    ["question", { question: "" }, "string_too_short"],
    ["question", { question: "   \n\t " }, "string_too_short"],
    ["question", { question: "a".repeat(4001) }, "string_too_long"],
    ["question", { question: 42 }, "string_type"],
    ["top_k", { question: "Apa itu PMB?", top_k: 0 }, "greater_than_equal"],
    ["top_k", { question: "Apa itu PMB?", top_k: 11 }, "less_than_equal"],
    ["top_k", { question: "Apa itu PMB?", top_k: 2.5 }, "int_type"],
    ["top_k", { question: "Apa itu PMB?", top_k: "3" }, "number_type"],
    ["filename_filter", { question: "Apa itu PMB?", filename_filter: 7 }, "string_type"],
    ["filename_filter", { question: "Apa itu PMB?", filename_filter: "a".repeat(256) }, "string_too_long"],
    ["stream", { question: "Apa itu PMB?", stream: "yes" }, "boolean_type"],
    ["session_id", { question: "Apa itu PMB?", session_id: 123 }, "string_type"],
    ["session_id", { question: "Apa itu PMB?", session_id: "a".repeat(129) }, "string_too_long"],
  ])("rejects a bad %s (%#)", async (field, body, type) => {
    const error = await expect422(await postJson("/ask", body), field);
    expect(error.type).toBe(type);
  });

  it("accepts the bounds themselves", async () => {
    const long = `${"Apa itu PMB? ".repeat(307)}PMB`.slice(0, 4000);
    expect((await postJson("/ask", { question: long, top_k: 10 })).status).toBe(200);
    expect((await postJson("/ask", { question: "  PMB  ", top_k: 1 })).status).toBe(200);
    const trimmed = await ask("  Apa itu PMB?  ");
    expect(trimmed.question).toBe("Apa itu PMB?");
  });

  it("treats null optional fields as absent and ignores unknown fields", async () => {
    const res = await postJson("/ask", { question: "Apa itu PMB?", filename_filter: null, session_id: null, extra: 1 });
    expect(res.status).toBe(200);
  });

  it("answers malformed JSON with a 422 in FastAPI's shape", async () => {
    const res = await call("/ask", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"question": ',
    });
    expect(res.status).toBe(422);
    expect((await res.json<Json>()).detail[0].type).toBe("json_invalid");
  });

  it("answers a body that is not an object with a 422", async () => {
    for (const body of ["[]", '"text"', "null", "42"]) {
      const res = await call("/ask", { method: "POST", headers: { "content-type": "application/json" }, body });
      expect(res.status, body).toBe(422);
    }
  });

  it("answers a wrong content type with 415", async () => {
    const res = await call("/ask", { method: "POST", headers: { "content-type": "text/plain" }, body: "Apa itu PMB?" });
    expect(res.status).toBe(415);
    expect(await res.json()).toEqual({ detail: "Content-Type must be application/json" });
    const none = await call("/ask", { method: "POST", body: '{"question":"x"}' });
    expect(none.status).toBe(415);
  });

  it("answers an oversized body with 413", async () => {
    const res = await postJson("/ask", { question: "Apa itu PMB?", padding: "x".repeat(70_000) });
    expect(res.status).toBe(413);
    expect((await res.json<Json>()).detail).toMatch(/larger than/);
  });
});

describe("other validation", () => {
  it("bounds context_window to 1-10", async () => {
    const { session_id } = await ask("Apa itu PMB?");
    for (const context_window of [0, 11, 2.5, "3", null]) {
      const res = await postJson(`/conversation/config/${session_id}`, { context_window });
      expect(res.status, String(context_window)).toBe(422);
    }
    await expect422(await postJson(`/conversation/config/${session_id}`, {}), "context_window");
    expect((await getJson(`/conversation/config/${session_id}`)).body.data.context_window).toBe(3);
  });

  it("rejects an unknown export format", async () => {
    const { session_id } = await ask("Apa itu PMB?");
    const { status, body } = await getJson(`/conversation/export/${session_id}?format=pdf`);
    expect(status).toBe(422);
    expect(body.detail[0].loc).toEqual(["query", "format"]);
  });

  it("answers unknown routes with 404 and wrong methods with 405, as JSON", async () => {
    const unknown = await call("/nope");
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ detail: "Not Found" });
    const wrong = await call("/ask");
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("POST");
    expect(await wrong.json()).toEqual({ detail: "Method Not Allowed" });
    expect((await call("/health", { method: "DELETE" })).status).toBe(405);
  });
});
