import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../src/http/app";
import { ask, call, getJson } from "./helpers";

describe("GET /client-config", () => {
  it("gives chat clients the starter questions and link hosts, cacheable by anyone", async () => {
    const res = await call("/client-config");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    const body = await res.json<{ starter_questions: string[]; allowed_link_hosts: string[] }>();
    expect(body).toMatchObject({ allowed_link_hosts: ["unm.ac.id"], max_question_chars: 4000 });
    expect(body.starter_questions.length).toBeGreaterThanOrEqual(3);
    expect(body.starter_questions.length).toBeLessThanOrEqual(5);
  });

  it("suggests, as wrangler.toml configures it, only questions that the sample documents answer", async () => {
    const { body } = await getJson("/client-config");
    for (const question of body.starter_questions as string[]) {
      const answer = await ask(question);
      expect(answer.sources.length, question).toBeGreaterThan(0);
    }
  });

  it("takes the starter questions from STARTER_QUESTIONS, separated by |", async () => {
    const configured = {
      ...env,
      STARTER_QUESTIONS: " Apa itu KRS? | Kapan wisuda, dan di mana?|Berapa SKS maksimal? ",
    };
    const res = await app.request("/client-config", {}, configured);
    expect(await res.json()).toMatchObject({
      starter_questions: ["Apa itu KRS?", "Kapan wisuda, dan di mana?", "Berapa SKS maksimal?"],
    });
  });

  it("suggests nothing when STARTER_QUESTIONS is unset", async () => {
    const res = await app.request("/client-config", {}, { ...env, STARTER_QUESTIONS: undefined });
    expect(await res.json()).toMatchObject({ starter_questions: [] });
  });

  it("refuses a STARTER_QUESTIONS with fewer than three or more than five questions", async () => {
    for (const questions of ["Apa itu KRS? | Kapan wisuda?", "a|b|c|d|e|f"]) {
      const res = await app.request("/client-config", {}, { ...env, STARTER_QUESTIONS: questions });
      expect(res.status, questions).toBe(500);
    }
  });

  it("is described in the OpenAPI document", async () => {
    const { body } = await getJson("/openapi.json");
    const operation = body.paths["/client-config"].get;
    expect(operation.responses["200"].content["application/json"].schema.$ref).toBe(
      "#/components/schemas/ClientConfig",
    );
    expect(Object.keys(body.components.schemas.ClientConfig.properties)).toEqual([
      "starter_questions",
      "allowed_link_hosts",
      "max_question_chars",
    ]);
  });
});
