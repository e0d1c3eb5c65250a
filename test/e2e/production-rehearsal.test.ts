import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalServer, startLocalServer } from "../../scripts/local-server.ts";
import { type Rehearsal, writeRehearsal } from "../../scripts/rehearsal-config.ts";
import { runScript } from "./run-script.ts";

// The production path end to end, served as `npm run dev:production` serves
// it: wrangler.toml's [env.production] with the Workers AI and Vectorize
// stand-ins of rehearsal/ as its AI and VECTORIZE bindings.
const TOKEN = "rehearsal-admin-token-for-the-e2e-tests";
const admin = { authorization: `Bearer ${TOKEN}` };
let rehearsal: Rehearsal;
let server: LocalServer;

// The stand-in reads its markers (#capacity, #stream=…) from the question,
// where they are words no document holds: each question carries enough words
// of its own to stay relevant with them.
const SCHOLARSHIP_QUESTION =
  "Apa syarat Beasiswa Prestasi Akademik, berapa IPK minimal, dan kapan pendaftaran beasiswa dibuka?";
const DORMITORY_QUESTION = "Berapa biaya asrama mahasiswa per bulan, dan sudah termasuk listrik dan air?";

type Answer = { answer: string; sources: string[]; session_id: string };
type Event = { type: string; token?: string; session_id?: string; sources?: string[]; retry_after?: number };

async function upload(filename: string, content: string | Uint8Array<ArrayBuffer>): Promise<Response> {
  const form = new FormData();
  form.append("file", new File([content], filename));
  return fetch(`${server.url}/upload`, { method: "POST", headers: admin, body: form });
}

async function ask(body: Record<string, unknown>): Promise<Response> {
  return fetch(`${server.url}/ask`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

async function events(res: Response): Promise<Event[]> {
  return (await res.text())
    .split("\n")
    .filter((line) => line.startsWith("data: "))
    .map((line) => JSON.parse(line.slice("data: ".length)));
}

async function storedAnswer(sessionId: string | undefined): Promise<string | undefined> {
  const res = await fetch(`${server.url}/conversation/history/${sessionId}`);
  return ((await res.json()) as { history: Array<{ answer: string }> }).history[0]?.answer;
}

beforeAll(async () => {
  rehearsal = writeRehearsal({ ADMIN_TOKEN: TOKEN });
  server = await startLocalServer({}, rehearsal.configs);
  const corpus = "src/knowledge/sample-corpus";
  // The documents embedded mode starts with (the PDF's HTML source aside).
  for (const name of await readdir(corpus)) {
    if (!/\.(md|pdf)$/.test(name)) continue;
    expect((await upload(name, new Uint8Array(await readFile(join(corpus, name))))).status).toBe(200);
  }
}, 120_000);

afterAll(async () => {
  await server?.stop();
  rehearsal?.remove();
});

describe("the production path, rehearsed with documented-shape stand-ins", () => {
  it("answers a follow-up from the document of the question before it", async () => {
    const first = (await (await ask({ question: "Berapa biaya asrama per bulan?" })).json()) as Answer;
    expect(first.sources[0]).toBe("fasilitas-kampus.md");
    expect(first.answer).toContain("fasilitas-kampus.md");
    const res = await ask({ question: "Jelaskan lebih detail", session_id: first.session_id });
    expect(res.status).toBe(200);
    const followUp = (await res.json()) as Answer;
    expect(followUp.sources[0]).toBe("fasilitas-kampus.md");
    expect(followUp.answer).toContain("Asrama");
  });

  for (const shape of ["response", "choices", "mixed"]) {
    it(`streams a reply sent in the "${shape}" chunk shape as tokens that add up to the stored answer`, async () => {
      const res = await ask({ question: `${SCHOLARSHIP_QUESTION} #stream=${shape}`, stream: true });
      const streamed = await events(res);
      expect(streamed.map((event) => event.type).slice(-2)).toEqual(["source", "done"]);
      const text = streamed.map((event) => event.token ?? "").join("");
      expect(text).toContain("beasiswa.md");
      expect(await storedAnswer(streamed[0]?.session_id)).toBe(text);
    });
  }

  it("answers a streamed question the model replied to in one piece", async () => {
    const streamed = await events(await ask({ question: `${SCHOLARSHIP_QUESTION} #no-stream`, stream: true }));
    const text = streamed.map((event) => event.token ?? "").join("");
    expect(text).toContain("beasiswa.md");
    expect(await storedAnswer(streamed[0]?.session_id)).toBe(text);
  });

  it("answers 503 with Retry-After while Workers AI is out of capacity, and says when to retry in a stream", async () => {
    const res = await ask({ question: `${DORMITORY_QUESTION} #capacity` });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    expect(((await res.json()) as { detail: string }).detail).toMatch(/busy/);
    const streamed = await events(await ask({ question: `${DORMITORY_QUESTION} #capacity`, stream: true }));
    expect(streamed.at(-1)).toMatchObject({ type: "error", retry_after: 5 });
  });

  it("keeps a filter on a long file name to that file, though others share its first 64 bytes", async () => {
    const prefix = "Pedoman Akademik Universitas Nusantara Maju untuk Program Sarjana Tahun";
    for (const year of ["2025", "2026"]) {
      const text = `Biaya semester program sarjana tahun ${year} adalah Rp ${year === "2025" ? "5.000.000" : "5.500.000"}.`;
      expect((await upload(`${prefix} ${year}.md`, text)).status).toBe(200);
    }
    const wanted = `${prefix} 2026.md`;
    // Vectorize applies new vectors a few seconds after an upload.
    await expect
      .poll(
        async () => {
          const res = await fetch(
            `${server.url}/search?query=biaya%20semester%20program%20sarjana&filename_filter=${encodeURIComponent(wanted)}`,
            { headers: admin },
          );
          return ((await res.json()) as Array<{ filename: string }>).map((hit) => hit.filename);
        },
        { timeout: 10_000 },
      )
      .toEqual([wanted]);
    const answer = (await (
      await ask({ question: "Berapa biaya semester?", filename_filter: wanted })
    ).json()) as Answer;
    expect(answer.sources).toEqual([wanted]);
  });

  it("refuses a 19 MB text upload with 413 and the limit, and stays healthy", async () => {
    const res = await upload("besar.txt", "Biaya semester dibayar sebelum batas waktu.\n\n".repeat(420_000));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { detail: string }).detail).toMatch(
      /larger than 10000000 bytes \(MAX_UPLOAD_BYTES\)/,
    );
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });

  it("reports the checks of GET /health?deep=1 to an admin only", async () => {
    const res = await fetch(`${server.url}/health?deep=1`, { headers: admin });
    expect(res.status).toBe(200);
    const { checks } = (await res.json()) as { checks: Record<string, { ok: boolean; detail: string }> };
    expect(Object.keys(checks).sort()).toEqual(["chat_model", "embedding_model", "knowledge_base", "vector_index"]);
    expect(Object.values(checks).every((check) => check.ok)).toBe(true);
    expect(checks.vector_index?.detail).toBe("1024 dimensions, cosine");
    expect((await fetch(`${server.url}/health?deep=1`)).status).toBe(401);
  });

  it("passes npm run smoke, and fails it with a wrong token", async () => {
    const passed = await runScript("scripts/smoke.ts", ["--url", server.url, "--token", TOKEN], "");
    expect(passed.stdout).not.toContain("❌");
    expect(passed.stdout.match(/✅/g)).toHaveLength(6);
    expect(passed.code).toBe(0);
    const refused = await runScript("scripts/smoke.ts", ["--url", server.url, "--token", "wrong-token"], "");
    expect(refused.stdout).toMatch(/❌ deep health/);
    expect(refused.code).toBe(1);
  });
});
