// Chooses the retriever, query rewriter and generator the configuration asks
// for. Adding a provider touches this file only; routes and the session
// object never know which ones run.
import { ConfigError, settings } from "../config";
import { hybridRetriever, keywordRetriever, type Retriever } from "../knowledge/retriever";
import { cachedRetriever } from "../knowledge/search-cache";
import { vectorStoreFor } from "../knowledge/vector-store";
import { CHAT_MODELS, ChatModel } from "../workers-ai";
import { extractiveGenerator } from "./extractive-generator";
import type { Generator } from "./generator";
import { openAiGenerator } from "./openai-generator";
import { type Rewriter, standaloneQuery } from "./query-rewrite";
import { pingChatModel, workersAiGenerator, workersAiRewriter } from "./workers-ai-generator";

/** A check for `GET /health?deep=1`: resolves to what it found, or throws what is wrong. */
export type HealthCheck = () => Promise<string>;

export type Providers = {
  retriever: Retriever;
  generator: Generator;
  rewrite: Rewriter;
  /** What the configured providers depend on, by name. */
  checks: Record<string, HealthCheck>;
};

export function providers(env: Env): Providers {
  const config = settings(env);
  const retriever = cachedRetriever(
    config.RETRIEVER === "hybrid" ? hybridRetriever(env) : keywordRetriever(env),
    config.SEARCH_CACHE_SECONDS * 1000,
    env.KNOWLEDGE_BASE,
  );
  const model = { model: config.MODEL_NAME, temperature: config.MODEL_TEMPERATURE, maxTokens: config.MODEL_MAX_TOKENS };
  const deterministic: Rewriter = async (question, history) => standaloneQuery(question, history);
  // Made only when a check runs: answering never builds a vector store in this object.
  const vectors = () => vectorStoreFor(env, config) ?? Promise.reject(new ConfigError("no vector index"));
  const checks: Record<string, HealthCheck> =
    config.RETRIEVER === "hybrid"
      ? {
          vector_index: async () => (await vectors()).checkIndex(),
          embedding_model: async () => (await vectors()).checkEmbedding(),
        }
      : {};
  switch (config.GENERATOR) {
    case "extractive":
      return {
        retriever,
        generator: extractiveGenerator,
        rewrite: deterministic,
        checks,
      };
    case "workers-ai": {
      if (!env.AI) throw new ConfigError("GENERATOR=workers-ai needs the AI binding (see [env.production])");
      const chosen = ChatModel.safeParse(config.MODEL_NAME);
      if (!chosen.success) {
        throw new ConfigError(
          `MODEL_NAME must be one of the supported Workers AI chat models: ${CHAT_MODELS.join(", ")}`,
        );
      }
      const chat = {
        ...model,
        ai: env.AI,
        model: chosen.data,
        gatewayId: config.AI_GATEWAY_ID,
        cap: env.MODEL_RATE_LIMIT,
      };
      return {
        retriever,
        generator: workersAiGenerator(chat),
        rewrite: workersAiRewriter(chat),
        checks: { ...checks, chat_model: () => pingChatModel(chat) },
      };
    }
    case "openai": {
      if (!config.OPENAI_API_BASE || !config.OPENAI_API_KEY) {
        throw new ConfigError("GENERATOR=openai needs OPENAI_API_BASE and the OPENAI_API_KEY secret");
      }
      return {
        retriever,
        generator: openAiGenerator(config.OPENAI_API_BASE, config.OPENAI_API_KEY, model),
        rewrite: deterministic,
        checks,
      };
    }
  }
}
