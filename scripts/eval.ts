// Measures answer quality over a committed question set (eval/questions.json):
// whether the right document is among the first three sources (hit@3),
// whether the answer holds the expected fact, whether follow-ups asked in the
// same session are answered, and whether questions the documents cannot answer
// are declined without sources. By default it starts the service locally in
// embedded mode; `--url` measures any deployment the same way, production
// model included. Exits 1 below the set's floors.
//
//   npm run eval [-- --url URL] [--questions FILE] [--var NAME:VALUE ...] [--verbose]
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import type { AskResponse } from "../src/http/schemas.ts";
import { ApiClient, ApiError } from "./api-client.ts";
import { withLocalServer } from "./local-server.ts";

type Answerable = { question: string; file: string; expect: string };
type FollowUp = Answerable & { topic: string };
type QuestionSet = {
  floors: Record<Metric, number>;
  questions: Answerable[];
  follow_ups: FollowUp[];
  unanswerable: string[];
};
type Metric = "hit_at_3" | "fact_accuracy" | "follow_up_accuracy" | "no_answer_accuracy";

// What the service says, and a model is told to say, when the documents hold no answer.
const NOT_FOUND = /tidak menemukan informasi/i;
const RETRIES = 5;
const MAX_WAIT_SECONDS = 60;

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    questions: { type: "string", default: new URL("../eval/questions.json", import.meta.url).pathname },
    var: { type: "string", multiple: true, default: [] },
    verbose: { type: "boolean", default: false },
  },
});

const set = JSON.parse(await readFile(values.questions, "utf8")) as QuestionSet;

async function evaluate(url: string): Promise<boolean> {
  const client = new ApiClient(url);
  const failures: string[] = [];
  const count = { hits: 0, facts: 0, followUps: 0, declined: 0 };
  for (const item of set.questions) {
    const result = await ask(client, item.question, null);
    const hit = result.sources.slice(0, 3).includes(item.file);
    const fact = holds(result, item.expect);
    count.hits += Number(hit);
    count.facts += Number(fact);
    if (!hit || !fact) failures.push(describe(item.question, result, !hit ? `not from ${item.file}` : item.expect));
  }
  for (const item of set.follow_ups) {
    const topic = await ask(client, item.topic, null);
    const result = await ask(client, item.question, topic.session_id);
    const correct = holds(result, item.expect);
    count.followUps += Number(correct);
    if (!correct) failures.push(describe(`${item.topic} → ${item.question}`, result, item.expect));
  }
  for (const question of set.unanswerable) {
    const result = await ask(client, question, null);
    const declined = NOT_FOUND.test(result.answer) && result.sources.length === 0;
    count.declined += Number(declined);
    if (!declined) failures.push(describe(question, result, "not found, without sources"));
  }
  const figures: Record<Metric, number> = {
    hit_at_3: count.hits / set.questions.length,
    fact_accuracy: count.facts / set.questions.length,
    follow_up_accuracy: count.followUps / set.follow_ups.length,
    no_answer_accuracy: count.declined / set.unanswerable.length,
  };
  if (values.verbose) for (const failure of failures) console.log(failure);
  console.log(`\nevaluated ${url}`);
  let passed = true;
  for (const [metric, value] of Object.entries(figures) as Array<[Metric, number]>) {
    const floor = set.floors[metric];
    const ok = value >= floor;
    passed &&= ok;
    console.log(`${ok ? "✅" : "❌"} ${metric.padEnd(20)} ${value.toFixed(3)}  (floor ${floor.toFixed(2)})`);
  }
  console.log(
    `${set.questions.length} questions, ${set.follow_ups.length} follow-ups, ${set.unanswerable.length} unanswerable`,
  );
  return passed;
}

function holds(result: AskResponse, pattern: string): boolean {
  return new RegExp(pattern, "iu").test(result.answer);
}

function describe(question: string, result: AskResponse, wanted: string): string {
  const answer = result.answer.replace(/\s+/g, " ").slice(0, 240);
  return `✗ ${question}\n    wanted: ${wanted}\n    got: ${answer}\n    sources: ${result.sources.join(", ") || "none"}`;
}

// Each conversation is a student of its own. Against the local server it
// says so with an address of its own, as the service limits new sessions per
// address (wrangler dev takes CF-Connecting-IP from the request; Cloudflare
// sets it itself, so a deployment sees the one address and the limits apply).
let students = 0;
const asStudents = !values.url;

// Rate limits and a busy model answer 429/503, saying when to retry.
async function ask(client: ApiClient, question: string, sessionId: string | null): Promise<AskResponse> {
  if (sessionId === null) students += 1;
  const address = `10.9.${students >> 8}.${students & 255}`;
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.request<AskResponse>("/ask", {
        method: "POST",
        headers: { "content-type": "application/json", ...(asStudents ? { "cf-connecting-ip": address } : {}) },
        body: JSON.stringify({ question, session_id: sessionId }),
      });
    } catch (error) {
      const retryable = error instanceof ApiError && (error.status === 429 || error.status === 503);
      if (!retryable || attempt >= RETRIES) throw error;
      const seconds = Math.min(error.retryAfter ?? 2 * attempt, MAX_WAIT_SECONDS);
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    }
  }
}

const vars = Object.fromEntries(
  (values.var ?? []).map((pair) => {
    const at = pair.indexOf(":");
    return [pair.slice(0, at), pair.slice(at + 1)];
  }),
);
const passed = values.url
  ? await evaluate(values.url)
  : await withLocalServer({ name: "eval", deadlineMs: 10 * 60_000, vars }, evaluate);
process.exit(passed ? 0 : 1);
