import { afterEach, describe, expect, it, vi } from "vitest";
import { eventStream, streamedReply } from "../rehearsal/model-replies";
import { AI_ERRORS } from "../rehearsal/workers-ai";
import type { GenerationRequest } from "../src/answering/generator";
import { ModelStreamError } from "../src/answering/model-stream";
import { openAiGenerator } from "../src/answering/openai-generator";
import { standaloneQuery } from "../src/answering/query-rewrite";
import { type WorkersAiChat, workersAiGenerator, workersAiRewriter } from "../src/answering/workers-ai-generator";
import { ModelBusy } from "../src/workers-ai";
import { asAiBinding, CHAT_MODEL, FakeWorkersAi } from "./fake-workers-ai";

const request: GenerationRequest = {
  question: "Berapa biaya asrama?",
  query: "Berapa biaya asrama?",
  passages: [{ chunk_id: "c1", filename: "asrama.md", content: "Biaya asrama Rp 750.000 per bulan.", score: 1 }],
  history: [],
  now: "Senin, 23 November 2026 15.04 WITA",
};

function chatWith(ai: FakeWorkersAi, extra: Partial<WorkersAiChat> = {}): WorkersAiChat {
  return { ai: asAiBinding(ai), model: CHAT_MODEL, temperature: 0, maxTokens: 2048, ...extra };
}

async function collect(tokens: AsyncIterable<string>): Promise<string[]> {
  const pieces: string[] = [];
  for await (const token of tokens) pieces.push(token);
  return pieces;
}

/** A rate limit binding that allows `allowed` calls, then refuses. */
function cap(allowed: number): RateLimit {
  let left = allowed;
  return { limit: async () => ({ success: left-- > 0 }) };
}

describe("the Workers AI generator", () => {
  it("streams with the model, messages, max_tokens and temperature it is configured with", async () => {
    const ai = new FakeWorkersAi();
    ai.script = { tokens: ["Rp ", "750.000"] };
    expect(await collect(workersAiGenerator(chatWith(ai)).generate(request))).toEqual(["Rp ", "750.000"]);
    const [call] = ai.calls;
    expect(call?.model).toBe(CHAT_MODEL);
    expect(call?.inputs).toMatchObject({ stream: true, max_tokens: 2048, temperature: 0 });
    expect(call?.inputs.messages[0].role).toBe("system");
    expect(call?.options).toEqual({});
  });

  for (const shape of ["response", "choices", "mixed"] as const) {
    it(`reads every piece of a reply streamed in the "${shape}" chunk shape, skipping role and usage chunks`, async () => {
      const ai = new FakeWorkersAi();
      ai.script = { tokens: ["Biaya ", "asrama ", "Rp 750.000"], markers: `#stream=${shape}` };
      expect(await collect(workersAiGenerator(chatWith(ai)).generate(request))).toEqual([
        "Biaya ",
        "asrama ",
        "Rp 750.000",
      ]);
    });
  }

  it("takes a whole reply returned to a streamed request as the answer", async () => {
    const ai = new FakeWorkersAi();
    ai.script = { tokens: ["Biaya ", "asrama ", "Rp 750.000"], markers: "#no-stream" };
    expect((await collect(workersAiGenerator(chatWith(ai)).generate(request))).join("")).toBe(
      "Biaya asrama Rp 750.000",
    );
  });

  it("treats a stream cut before [DONE] as a failure, not a short answer", async () => {
    const ai = new FakeWorkersAi();
    ai.script = { tokens: ["Biaya ", "asrama ", "adalah"], markers: "#break-off" };
    const pieces: string[] = [];
    await expect(async () => {
      for await (const piece of workersAiGenerator(chatWith(ai)).generate(request)) pieces.push(piece);
    }).rejects.toThrow(ModelStreamError);
    expect(pieces.join("")).toBe("Biaya asrama adalah");
  });

  it("lets go of the model's stream when the answer stops reading early", async () => {
    let cancelled = false;
    const ai = new FakeWorkersAi();
    ai.script.live = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(`data: ${JSON.stringify({ response: "Biaya " })}\n\n`));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const _token of workersAiGenerator(chatWith(ai)).generate(request)) break;
    await vi.waitFor(() => expect(cancelled).toBe(true));
  });

  it("asks once more when Workers AI is out of capacity, and answers if the second call succeeds", async () => {
    const ai = new FakeWorkersAi();
    ai.script = { tokens: ["Rp 750.000"], markers: "#capacity" };
    const answering = collect(workersAiGenerator(chatWith(ai)).generate(request));
    await vi.waitFor(() => expect(ai.calls).toHaveLength(1));
    ai.script.markers = ""; // capacity is back before the retry
    expect(await answering).toEqual(["Rp 750.000"]);
    expect(ai.calls).toHaveLength(2);
  });

  it("fails with the wait Workers AI needs when it is still busy on the second try", async () => {
    const ai = new FakeWorkersAi();
    ai.script.markers = "#rate-limited";
    const failure = collect(workersAiGenerator(chatWith(ai)).generate(request));
    await expect(failure).rejects.toThrow(AI_ERRORS.rateLimited);
    expect(ai.calls).toHaveLength(2);
  });

  it("does not ask again when the daily allocation is used up", async () => {
    const ai = new FakeWorkersAi();
    ai.script.markers = "#daily-limit";
    await expect(collect(workersAiGenerator(chatWith(ai)).generate(request))).rejects.toThrow(/3036/);
    expect(ai.calls).toHaveLength(1);
  });

  it("makes no model call past the service-wide cap, failing as busy for a minute", async () => {
    const ai = new FakeWorkersAi();
    const generator = workersAiGenerator(chatWith(ai, { cap: cap(1) }));
    await collect(generator.generate(request));
    const refused = await collect(generator.generate(request)).catch((error) => error);
    expect(refused).toBeInstanceOf(ModelBusy);
    expect(refused.retryAfter).toBe(60);
    expect(ai.calls).toHaveLength(1);
  });

  it("routes every call through AI Gateway when AI_GATEWAY_ID is set", async () => {
    const ai = new FakeWorkersAi();
    const chat = chatWith(ai, { gatewayId: "tanya-mail" });
    await collect(workersAiGenerator(chat).generate(request));
    await workersAiRewriter(chat)("Berapa biayanya?", [{ question: "Apa itu asrama?", answer: "Tempat tinggal." }]);
    expect(ai.calls.map((call) => call.options)).toEqual([
      { gateway: { id: "tanya-mail" } },
      { gateway: { id: "tanya-mail" } },
    ]);
  });
});

describe("the Workers AI rewriter", () => {
  const history = [{ question: "Apa saja fasilitas asrama?", answer: "Kamar untuk dua orang." }];

  it("reads the rewritten question from a chat completion, and leaves a first question alone", async () => {
    const ai = new FakeWorkersAi();
    ai.script.reply = "  Berapa biaya asrama mahasiswa per bulan?  ";
    const rewrite = workersAiRewriter(chatWith(ai));
    expect(await rewrite("Berapa per bulan?", [])).toBe("Berapa per bulan?");
    expect(ai.calls).toHaveLength(0);
    expect(await rewrite("Berapa biayanya per bulan?", history)).toBe("Berapa biaya asrama mahasiswa per bulan?");
    expect(ai.calls[0]?.inputs.messages[1].content).toContain("Apa saja fasilitas asrama?");
    expect(ai.calls[0]?.inputs.stream).toBeUndefined();
  });

  it("reads a model that replies in the legacy {response} shape too", async () => {
    const ai = new FakeWorkersAi();
    ai.script.reply = "Berapa biaya asrama mahasiswa?";
    const rewrite = workersAiRewriter({ ...chatWith(ai), model: "@cf/meta/llama-3.3-70b-instruct-fp8-fast" });
    expect(await rewrite("Berapa biayanya?", history)).toBe("Berapa biaya asrama mahasiswa?");
  });

  it("falls back to the follow-up rule when the model fails, is busy or says nothing", async () => {
    // Embedded mode's rule, which carries the earlier topic forward.
    const deterministic = standaloneQuery("Jelaskan lebih detail", history);
    expect(deterministic).toMatch(/fasilitas asrama.*Jelaskan lebih detail/);
    for (const script of [{ markers: "#capacity" }, { reply: "   " }]) {
      const ai = new FakeWorkersAi();
      ai.script = script;
      expect(await workersAiRewriter(chatWith(ai))("Jelaskan lebih detail", history)).toBe(deterministic);
    }
    const capped = new FakeWorkersAi();
    const rewrite = workersAiRewriter(chatWith(capped, { cap: cap(0) }));
    expect(await rewrite("Jelaskan lebih detail", history)).toBe(deterministic);
    expect(capped.calls).toHaveLength(0);
  });

  it("searches a question that stands on its own as asked, without a model call", async () => {
    const ai = new FakeWorkersAi();
    const rewrite = workersAiRewriter(chatWith(ai));
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
      new Response(eventStream(streamedReply("choices", "gpt-test", ["Rp ", "750.000"])), {
        headers: { "content-type": "text/event-stream" },
      }),
    );
    const options = { model: "gpt-test", temperature: 0, maxTokens: 2048 };
    const generator = openAiGenerator("https://llm.example/v1/", "sk-test", options);
    expect(await collect(generator.generate(request))).toEqual(["Rp ", "750.000"]);
    const [url, init] = fetchSpy.mock.calls[0] ?? [];
    expect(url).toBe("https://llm.example/v1/chat/completions");
    expect(new Headers(init?.headers).get("authorization")).toBe("Bearer sk-test");
    expect(JSON.parse(String(init?.body))).toMatchObject({ model: "gpt-test", stream: true, max_tokens: 2048 });
  });

  it("reports an error status without the provider's message", async () => {
    vi.spyOn(globalThis, "fetch").mockResolvedValue(new Response('{"error":"quota for org-123"}', { status: 429 }));
    const options = { model: "gpt-test", temperature: 0, maxTokens: 2048 };
    const generator = openAiGenerator("https://llm.example/v1", "sk-test", options);
    await expect(collect(generator.generate(request))).rejects.toThrow("The model endpoint answered 429");
  });
});
