import { afterEach, describe, expect, it, vi } from "vitest";
import type { GenerationRequest } from "../src/answering/generator";
import { ModelStreamError } from "../src/answering/model-stream";
import { openAiGenerator } from "../src/answering/openai-generator";
import { workersAiGenerator, workersAiRewriter } from "../src/answering/workers-ai-generator";
import { FakeWorkersAi, sseStream } from "./fake-workers-ai";

const options = { model: "@cf/aisingapore/gemma-sea-lion-v4-27b-it", temperature: 0, maxTokens: 2048 };
const request: GenerationRequest = {
  question: "Berapa biaya asrama?",
  query: "Berapa biaya asrama?",
  passages: [{ chunk_id: "c1", filename: "asrama.md", content: "Biaya asrama Rp 750.000 per bulan.", score: 1 }],
  history: [],
  now: "Senin, 23 November 2026 15.04 WITA",
};

async function collect(tokens: AsyncIterable<string>): Promise<string[]> {
  const pieces: string[] = [];
  for await (const token of tokens) pieces.push(token);
  return pieces;
}

describe("the Workers AI generator", () => {
  it("streams with the model, messages, max_tokens and temperature it is configured with", async () => {
    const ai = new FakeWorkersAi();
    ai.chat.events = [JSON.stringify({ response: "Rp " }), JSON.stringify({ response: "750.000" }), "[DONE]"];
    expect(await collect(workersAiGenerator(ai, options).generate(request))).toEqual(["Rp ", "750.000"]);
    const [call] = ai.calls;
    expect(call?.model).toBe(options.model);
    expect(call?.inputs).toMatchObject({ stream: true, max_tokens: 2048, temperature: 0 });
    expect(call?.inputs.messages[0].role).toBe("system");
  });

  it("reads OpenAI-style delta chunks and skips the usage chunk", async () => {
    const ai = new FakeWorkersAi();
    ai.chat.events = [
      JSON.stringify({ choices: [{ delta: { role: "assistant" } }] }),
      JSON.stringify({ choices: [{ delta: { content: "Biaya " } }] }),
      JSON.stringify({ choices: [{ delta: { content: "asrama" } }] }),
      JSON.stringify({ response: "", usage: { prompt_tokens: 50, completion_tokens: 2, total_tokens: 52 } }),
      "[DONE]",
    ];
    expect(await collect(workersAiGenerator(ai, options).generate(request))).toEqual(["Biaya ", "asrama"]);
  });

  it("treats a stream cut before [DONE] as a failure, not a short answer", async () => {
    const ai = new FakeWorkersAi();
    ai.chat.events = [JSON.stringify({ response: "Biaya asrama adalah" })];
    const pieces: string[] = [];
    await expect(async () => {
      for await (const piece of workersAiGenerator(ai, options).generate(request)) pieces.push(piece);
    }).rejects.toThrow(ModelStreamError);
    expect(pieces).toEqual(["Biaya asrama adalah"]);
  });

  it("lets go of the model's stream when the answer stops reading early", async () => {
    let cancelled = false;
    const ai = new FakeWorkersAi();
    ai.chat.live = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(`data: ${JSON.stringify({ response: "Biaya " })}\n\n`));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const _token of workersAiGenerator(ai, options).generate(request)) break;
    await vi.waitFor(() => expect(cancelled).toBe(true));
  });

  it("fails before the first token when the model call fails", async () => {
    const ai = new FakeWorkersAi();
    ai.chat.failBeforeFirstToken = true;
    await expect(collect(workersAiGenerator(ai, options).generate(request))).rejects.toThrow(/Capacity/);
  });

  it("rewrites a follow-up into a standalone query, and leaves a first question alone", async () => {
    const ai = new FakeWorkersAi();
    ai.chat.reply = "  Berapa biaya asrama mahasiswa per bulan?  ";
    const rewrite = workersAiRewriter(ai, options);
    expect(await rewrite("Berapa per bulan?", [])).toBe("Berapa per bulan?");
    expect(ai.calls).toHaveLength(0);
    const history = [{ question: "Apa saja fasilitas asrama?", answer: "Kamar untuk dua orang." }];
    expect(await rewrite("Berapa biayanya per bulan?", history)).toBe("Berapa biaya asrama mahasiswa per bulan?");
    expect(ai.calls[0]?.inputs.messages[1].content).toContain("Apa saja fasilitas asrama?");
    expect(await rewrite("Bagaimana dengan S2?", history)).toBe("Berapa biaya asrama mahasiswa per bulan?");
    expect(ai.calls).toHaveLength(2);
  });

  it("searches a question that stands on its own as asked, without a model call", async () => {
    const ai = new FakeWorkersAi();
    const history = [{ question: "Apa saja fasilitas asrama?", answer: "Kamar untuk dua orang." }];
    const rewrite = workersAiRewriter(ai, options);
    expect(await rewrite("Apa syarat Beasiswa Prestasi Akademik?", history)).toBe(
      "Apa syarat Beasiswa Prestasi Akademik?",
    );
    expect(ai.calls).toHaveLength(0);
  });
});

describe("the OpenAI-compatible generator", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("posts a streaming chat completion with the key and reads the deltas", async () => {
    const fetchSpy = vi.spyOn(globalThis, "fetch").mockResolvedValue(
      new Response(sseStream([JSON.stringify({ choices: [{ delta: { content: "Rp 750.000" } }] }), "[DONE]"]), {
        headers: { "content-type": "text/event-stream" },
      }),
    );
    const generator = openAiGenerator("https://llm.example/v1/", "sk-test", options);
    expect(await collect(generator.generate(request))).toEqual(["Rp 750.000"]);
    const [url, init] = fetchSpy.mock.calls[0] ?? [];
    expect(url).toBe("https://llm.example/v1/chat/completions");
    expect(new Headers(init?.headers).get("authorization")).toBe("Bearer sk-test");
    expect(JSON.parse(String(init?.body))).toMatchObject({ model: options.model, stream: true, max_tokens: 2048 });
  });

  it("reports an error status without the provider's message", async () => {
    vi.spyOn(globalThis, "fetch").mockResolvedValue(new Response('{"error":"quota for org-123"}', { status: 429 }));
    const generator = openAiGenerator("https://llm.example/v1", "sk-test", options);
    await expect(collect(generator.generate(request))).rejects.toThrow("The model endpoint answered 429");
  });
});
