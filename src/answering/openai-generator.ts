// Alternative generator for deployments that already pay for a model
// elsewhere: any OpenAI-compatible /chat/completions endpoint, streamed.
import { type Generator, type ModelOptions, tokenLimit } from "./generator";
import { ModelStreamError, modelTokens } from "./model-stream";
import { answerMessages } from "./prompt";

export function openAiGenerator(apiBase: string, apiKey: string, options: ModelOptions): Generator {
  return {
    name: "openai",
    async *generate(request) {
      const response = await fetch(`${apiBase.replace(/\/+$/, "")}/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
        body: JSON.stringify({
          model: options.model,
          messages: answerMessages(request),
          stream: true,
          max_tokens: tokenLimit(request, options.maxTokens),
          temperature: options.temperature,
        }),
        signal: request.signal,
      });
      // The provider's own message may carry account details: log the status only.
      if (!response.ok || !response.body) throw new ModelStreamError(`The model endpoint answered ${response.status}`);
      yield* modelTokens(response.body);
    },
  };
}
