// Production generator: a Workers AI chat model through the native AI
// binding, streamed.

import type { ModelRunner } from "../knowledge/vector-store";
import { type Generator, type ModelOptions, tokenLimit } from "./generator";
import { ModelStreamError, modelTokens } from "./model-stream";
import { answerMessages, rewriteMessages } from "./prompt";
import { mayLeanOnHistory, type Rewriter } from "./query-rewrite";

export function workersAiGenerator(ai: ModelRunner, options: ModelOptions): Generator {
  return {
    name: "workers-ai",
    async *generate(request) {
      const stream = await ai.run(options.model, {
        messages: answerMessages(request),
        stream: true,
        max_tokens: tokenLimit(request, options.maxTokens),
        temperature: options.temperature,
      });
      if (!(stream instanceof ReadableStream)) throw new ModelStreamError("The model did not return a stream");
      yield* modelTokens(stream);
    },
  };
}

/**
 * Rewrites a follow-up into a standalone search query with the model; a
 * question that stands on its own (or has no history) is searched as asked,
 * without the model call.
 */
export function workersAiRewriter(ai: ModelRunner, options: ModelOptions): Rewriter {
  return async (question, history) => {
    if (history.length === 0 || !mayLeanOnHistory(question)) return question;
    const result = (await ai.run(options.model, {
      messages: rewriteMessages(question, history),
      max_tokens: 128,
      temperature: 0,
    })) as { response?: unknown };
    const rewritten = typeof result.response === "string" ? result.response.trim() : "";
    return rewritten || question;
  };
}
