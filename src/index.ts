// The Worker's entry point: the HTTP app and the Durable Object classes.
import { app } from "./http/app";

export { InsightsObject } from "./insights/insights-object";
export { KnowledgeBase } from "./knowledge/knowledge-base";
export { SessionIndexShard } from "./session/session-index";
export { SessionObject } from "./session/session-object";

export default app satisfies ExportedHandler<Env>;
