// The Workers AI stand-in of rehearsal/ (built from Cloudflare's documented
// model schemas, reply shapes and errors; see rehearsal/workers-ai.ts), with
// what tests need on top: every call recorded, the reply scripted, and a
// model the test drives event by event.
import { DONE_EVENT, type StreamShape, sseEvent, textChunk, usageChunk, usageOf } from "../rehearsal/model-replies";
import { AiError, type ChatInputs, type RunOptions, WorkersAiStandIn } from "../rehearsal/workers-ai";

export const CHAT_MODEL = "@cf/aisingapore/gemma-sea-lion-v4-27b-it";
export const EMBEDDING_MODEL = "@cf/baai/bge-m3";

export type ChatScript = {
  /** A streamed reply's pieces, one chunk each. */
  tokens?: string[];
  /** A non-streamed reply (a follow-up's rewrite). */
  reply?: string;
  /** Markers as a question may carry them (see rehearsal/workers-ai.ts): "#capacity", "#stream=choices", "#break-off"… */
  markers?: string;
  /** A model the test drives (see `liveModel`), for streamed requests. */
  live?: ReadableStream<Uint8Array>;
  /** Chat calls fail with this Workers AI error ("<code>: <message>"). */
  fail?: string;
};

export class FakeWorkersAi extends WorkersAiStandIn {
  readonly calls: Array<{ model: string; inputs: Record<string, any>; options?: RunOptions }> = [];
  script: ChatScript = {};

  override async run(model: string, inputs: unknown, options?: RunOptions): Promise<unknown> {
    this.calls.push({ model, inputs: inputs as Record<string, any>, options });
    if (this.script.fail && model !== EMBEDDING_MODEL) throw new AiError(this.script.fail);
    const streamed = (inputs as ChatInputs).stream === true;
    if (streamed && this.script.live && model === CHAT_MODEL) return this.script.live;
    return super.run(model, inputs, options);
  }

  protected override markers(inputs: ChatInputs): string {
    return `${super.markers(inputs)} ${this.script.markers ?? ""}`;
  }

  protected override pieces(inputs: ChatInputs, streamed: boolean): string[] {
    if (!streamed && this.script.reply !== undefined) return [this.script.reply];
    return this.script.tokens ?? super.pieces(inputs, streamed);
  }
}

/** The stand-in as the service's AI binding: it implements `run`, as a service binding to it does. */
export function asAiBinding(fake: Pick<WorkersAiStandIn, "run">): Ai {
  return fake as unknown as Ai;
}

/** A model stream the test writes to: `say` sends one piece, `finish` the usage chunk and [DONE], `breakOff` ends it without. */
export function liveModel(shape: StreamShape = "mixed") {
  const encoder = new TextEncoder();
  const said: string[] = [];
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
  });
  return {
    stream,
    say: (token: string) => {
      said.push(token);
      controller.enqueue(encoder.encode(sseEvent(textChunk(shape, CHAT_MODEL, token))));
    },
    finish: () => {
      controller.enqueue(encoder.encode(sseEvent(usageChunk(shape, usageOf("", said)))));
      controller.enqueue(encoder.encode(DONE_EVENT));
      controller.close();
    },
    breakOff: () => controller.close(),
  };
}
