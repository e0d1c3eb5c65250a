// Chooses the retriever and generator the configuration asks for. Adding a
// provider touches this file only; routes and the session object never know.
import { settings } from "./config";
import { extractiveGenerator } from "./extractive-generator";
import type { Generator } from "./generator";
import { keywordRetriever, type Retriever } from "./retriever";

export function providers(env: Env): { retriever: Retriever; generator: Generator } {
  const config = settings(env);
  const retriever = { keyword: keywordRetriever }[config.RETRIEVER](env);
  const generator = { extractive: extractiveGenerator }[config.GENERATOR];
  return { retriever, generator };
}
