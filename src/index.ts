// The Worker's entry point: the HTTP app and the Durable Object classes.
import { app } from "./app";

export { KnowledgeBase } from "./knowledge-base";
export { SessionIndexShard } from "./session-index";
export { SessionObject } from "./session-object";

export default app satisfies ExportedHandler<Env>;
