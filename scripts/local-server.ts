// Starts `wrangler dev` on a free local port with its own storage, for what
// drives the service from outside: the end-to-end tests and the benchmarks.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export type LocalServer = { url: string; stop: () => Promise<void> };

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/**
 * Starts the Worker on a free port with fresh storage: with `wrangler dev`, or
 * without the devtools inspector (`devtools: false`, for benchmarks, one
 * config only; see scripts/serve-worker.ts).
 */
export async function startLocalServer(
  vars: Record<string, string> = {},
  config: string | string[] = "wrangler.toml",
  { devtools = true }: { devtools?: boolean } = {},
): Promise<LocalServer> {
  const port = await freePort();
  const state = mkdtempSync(join(tmpdir(), "tanya-e2e-"));
  // Several configs run several Workers in one process, the first one serving.
  const configs = (Array.isArray(config) ? config : [config]).flatMap((file) => ["-c", file]);
  const options = [...configs, "--port", String(port), "--persist-to", state];
  for (const [name, value] of Object.entries(vars)) options.push("--var", `${name}:${value}`);
  const [command, args] = devtools
    ? ["wrangler", ["dev", "--ip", "127.0.0.1", ...options]]
    : ["node", [fileURLToPath(new URL("serve-worker.ts", import.meta.url)), ...options]];
  const server: ChildProcess = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"], detached: true });
  let errors = "";
  server.stderr?.on("data", (chunk) => {
    errors += chunk;
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (server.exitCode === null && server.pid) {
      const exited = new Promise((resolve) => server.once("exit", resolve));
      process.kill(-server.pid, "SIGTERM");
      await exited;
    }
    rmSync(state, { recursive: true, force: true });
  };
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/health`)).ok) return { url, stop };
    } catch {}
    if (server.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  await stop();
  throw new Error(`the local server did not start: ${errors.slice(-2000)}`);
}

/**
 * Runs `work` against a fresh local server and stops the server afterwards;
 * past `deadlineMs` it stops the server and exits with status 2, so a
 * benchmark never outlives its time limit.
 */
export async function withLocalServer<T>(
  options: { name: string; deadlineMs: number; vars?: Record<string, string>; config?: string; devtools?: boolean },
  work: (url: string) => Promise<T>,
): Promise<T> {
  const server = await startLocalServer(options.vars, options.config, { devtools: options.devtools });
  const timer = setTimeout(async () => {
    console.error(`${options.name}: over the time limit, stopping`);
    await server.stop();
    process.exit(2);
  }, options.deadlineMs);
  try {
    return await work(server.url);
  } finally {
    clearTimeout(timer);
    await server.stop();
  }
}
