// Chooses the retriever, query rewriter and generator the configuration asks
// for. Adding a provider touches this file only; routes and the session
// object never know which ones run.
import { ConfigError, settings } from "../config";
import { knowledgeBase } from "../knowledge/knowledge-base";
import { hybridRetriever, keywordRetriever, type Retriever } from "../knowledge/retriever";
import { cachedRetriever } from "../knowledge/search-cache";
import type { ModelRunner } from "../knowledge/vector-store";
import { extractiveGenerator } from "./extractive-generator";
import type { Generator } from "./generator";
import { openAiGenerator } from "./openai-generator";
import { type Rewriter, standaloneQuery } from "./query-rewrite";
import { workersAiGenerator, workersAiRewriter } from "./workers-ai-generator";

export function providers(env: Env): { retriever: Retriever; generator: Generator; rewrite: Rewriter } {
  const config = settings(env);
  const retriever = cachedRetriever(
    config.RETRIEVER === "hybrid" ? hybridRetriever(env) : keywordRetriever(env),
    config.SEARCH_CACHE_SECONDS * 1000,
    env.KNOWLEDGE_BASE,
  );
  const model = { model: config.MODEL_NAME, temperature: config.MODEL_TEMPERATURE, maxTokens: config.MODEL_MAX_TOKENS };
  const deterministic: Rewriter = async (question, history) => standaloneQuery(question, history);
  switch (config.GENERATOR) {
    case "extractive":
      return {
        retriever,
        generator: extractiveGenerator((text) => knowledgeBase(env).termWeights(text)),
        rewrite: deterministic,
      };
    case "workers-ai": {
      if (!env.AI) throw new ConfigError("GENERATOR=workers-ai needs the AI binding (see [env.production])");
      const ai = env.AI as unknown as ModelRunner;
      return { retriever, generator: workersAiGenerator(ai, model), rewrite: workersAiRewriter(ai, model) };
    }
    case "openai": {
      if (!config.OPENAI_API_BASE || !config.OPENAI_API_KEY) {
        throw new ConfigError("GENERATOR=openai needs OPENAI_API_BASE and the OPENAI_API_KEY secret");
      }
      return {
        retriever,
        generator: openAiGenerator(config.OPENAI_API_BASE, config.OPENAI_API_KEY, model),
        rewrite: deterministic,
      };
    }
  }
}
