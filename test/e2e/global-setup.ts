// One local server shared by the end-to-end tests.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { type LocalServer, startLocalServer } from "../../scripts/local-server.ts";
import { readConfig } from "../../scripts/rehearsal-config.ts";

let server: LocalServer | undefined;
let folder: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  // Every test's users reach the server from 127.0.0.1: a campus behind one
  // address, for which the README says to raise the new-session limit.
  const { topLevel } = readConfig();
  const ratelimits = topLevel.ratelimits?.map((limit: { name: string }) =>
    limit.name === "NEW_SESSION_RATE_LIMIT" ? { ...limit, simple: { limit: 1000, period: 60 } } : limit,
  );
  folder = mkdtempSync(join(tmpdir(), "tanya-e2e-config-"));
  const config = join(folder, "wrangler.json");
  writeFileSync(config, JSON.stringify({ ...topLevel, ratelimits }));
  server = await startLocalServer({}, config);
  project.provide("baseUrl", server.url);
}

export async function teardown(): Promise<void> {
  await server?.stop();
  if (folder) rmSync(folder, { recursive: true, force: true });
}

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
  }
}
