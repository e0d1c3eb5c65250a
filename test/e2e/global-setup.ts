// One local server shared by the end-to-end tests.
import type { TestProject } from "vitest/node";
import { type LocalServer, startLocalServer } from "../../scripts/local-server.ts";

let server: LocalServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  server = await startLocalServer();
  project.provide("baseUrl", server.url);
}

export async function teardown(): Promise<void> {
  await server?.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
  }
}
