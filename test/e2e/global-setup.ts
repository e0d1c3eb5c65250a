// One local server shared by the end-to-end tests.
import type { TestProject } from "vitest/node";
import { type LocalServer, startLocalServer } from "../../scripts/local-server.ts";
import { readConfig, writeConfig } from "../../scripts/wrangler-config.ts";

let server: LocalServer | undefined;
let config: ReturnType<typeof writeConfig> | undefined;

export async function setup(project: TestProject): Promise<void> {
  // Every test's users reach the server from 127.0.0.1: a campus behind one
  // address, for which the README says to raise the new-session limit.
  const { topLevel } = readConfig();
  const ratelimits = topLevel.ratelimits?.map((limit: { name: string }) =>
    limit.name === "NEW_SESSION_RATE_LIMIT" ? { ...limit, simple: { limit: 1000, period: 60 } } : limit,
  );
  config = writeConfig({ ...topLevel, ratelimits });
  server = await startLocalServer({}, config.file);
  project.provide("baseUrl", server.url);
}

export async function teardown(): Promise<void> {
  await server?.stop();
  config?.remove();
}

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
  }
}
