#!/usr/bin/env node
// `npm run dev:production [-- --port 8788]`: rehearses the production
// deployment offline. Serves wrangler.toml's [env.production] with `wrangler
// dev`, its AI and VECTORIZE bindings reaching the stand-ins in rehearsal/
// (built from Cloudflare's documented model schemas, limits and errors).
// Each run starts with empty storage and a fresh admin token (or ADMIN_TOKEN
// from the environment), printed below. Other arguments go to `wrangler dev`.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeRehearsal } from "./rehearsal-config.ts";

const DEFAULT_PORT = "8788";
const args = process.argv.slice(2);
const port = args.includes("--port") ? (args[args.indexOf("--port") + 1] ?? DEFAULT_PORT) : DEFAULT_PORT;
const token = process.env.ADMIN_TOKEN ?? randomBytes(24).toString("base64url");
const rehearsal = writeRehearsal({ ADMIN_TOKEN: token });
const state = mkdtempSync(join(tmpdir(), "tanya-rehearsal-state-"));

console.log(`Rehearsing [env.production] at http://localhost:${port}, with the stand-ins in rehearsal/`);
console.log(`Admin token for this run: ${token}`);
console.log(`Try: npm run smoke -- --url http://localhost:${port} --token ${token}\n`);

const portArgs = args.includes("--port") ? [] : ["--port", port];
const configArgs = rehearsal.configs.flatMap((config) => ["-c", config]);
const wrangler = spawn("wrangler", ["dev", ...configArgs, ...portArgs, "--persist-to", state, ...args], {
  stdio: "inherit",
});
const cleanUp = () => {
  rehearsal.remove();
  rmSync(state, { recursive: true, force: true });
};
wrangler.on("exit", (code) => {
  cleanUp();
  process.exit(code ?? 0);
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => wrangler.kill(signal));
