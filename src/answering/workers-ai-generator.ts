// Production generator: a Workers AI chat model through the native AI
// binding, streamed; and the model's rewrite of a follow-up.
import { type ChatModel, type ChatReply, callWorkersAi, replyText, runOptions } from "../workers-ai";
import { type Generator, tokenLimit } from "./generator";
import { modelTokens } from "./model-stream";
import { answerMessages, rewriteMessages } from "./prompt";
import { mayLeanOnHistory, type Rewriter, standaloneQuery } from "./query-rewrite";

export type WorkersAiChat = {
  ai: Ai;
  model: ChatModel;
  temperature: number;
  maxTokens: number;
  /** AI_GATEWAY_ID: every call goes through this AI Gateway. */
  gatewayId?: string;
  /** MODEL_RATE_LIMIT: the service-wide cap on model calls. */
  cap?: RateLimit;
};

const REWRITE_MAX_TOKENS = 128;

export function workersAiGenerator(chat: WorkersAiChat): Generator {
  return {
    name: "workers-ai",
    async *generate(request) {
      const reply: ReadableStream | ChatReply = await callWorkersAi(
        () =>
          chat.ai.run(
            chat.model,
            {
              messages: answerMessages(request),
              stream: true,
              max_tokens: tokenLimit(request, chat.maxTokens),
              temperature: chat.temperature,
            },
            runOptions(chat.gatewayId),
          ),
        { cap: chat.cap, signal: request.signal },
      );
      // A model may answer a streamed request with the whole reply at once.
      if (reply instanceof ReadableStream) yield* modelTokens(reply);
      else yield replyText(reply);
    },
  };
}

/**
 * Rewrites a follow-up into a standalone search query with the model. A
 * question that stands on its own (or has no history) is searched as asked,
 * without the model call; if the model fails, is busy or says nothing, the
 * follow-up rule of embedded mode makes the query instead: a rewrite never
 * fails an answer.
 */
export function workersAiRewriter(chat: WorkersAiChat): Rewriter {
  return async (question, history) => {
    if (history.length === 0 || !mayLeanOnHistory(question)) return question;
    try {
      const reply = await callWorkersAi(
        () =>
          chat.ai.run(
            chat.model,
            { messages: rewriteMessages(question, history), max_tokens: REWRITE_MAX_TOKENS, temperature: 0 },
            runOptions(chat.gatewayId),
          ),
        { cap: chat.cap, retry: false },
      );
      const rewritten = replyText(reply).trim();
      if (rewritten) return rewritten;
    } catch (error) {
      console.warn(JSON.stringify({ level: "warn", where: "rewrite", error: errorName(error) }));
    }
    return standaloneQuery(question, history);
  };
}

/** One tiny call to the chat model, for `GET /health?deep=1`. */
export async function pingChatModel(chat: WorkersAiChat): Promise<string> {
  const reply = await callWorkersAi(
    () =>
      chat.ai.run(
        chat.model,
        { messages: [{ role: "user", content: "Balas dengan satu kata: OK" }], max_tokens: 4, temperature: 0 },
        runOptions(chat.gatewayId),
      ),
    { cap: chat.cap, retry: false },
  );
  if (!replyText(reply).trim()) throw new Error(`${chat.model} replied with no text`);
  return `${chat.model} answered`;
}

function errorName(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message.slice(0, 120)}` : "Error";
}
