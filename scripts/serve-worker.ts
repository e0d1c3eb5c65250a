#!/usr/bin/env node
// Serves the Worker locally as `wrangler dev` does, but without the devtools
// inspector, for the benchmarks. `wrangler dev` attaches the inspector and
// sends every console line through it to wrangler, which source-maps and
// prints it: about a millisecond of CPU per line on a small machine, which no
// deployment pays. Only errors the Worker logs are printed (to stderr).
//
//   node scripts/serve-worker.ts -c bench/wrangler.bench.toml --port 8787 --persist-to .state [--var NAME:VALUE]...
import { parseArgs } from "node:util";
import { unstable_startWorker } from "wrangler";

const { values } = parseArgs({
  options: {
    config: { type: "string", short: "c", default: "wrangler.toml" },
    port: { type: "string", default: "8787" },
    "persist-to": { type: "string" },
    var: { type: "string", multiple: true, default: [] },
  },
});

const bindings = Object.fromEntries(
  values.var.map((pair) => {
    const at = pair.indexOf(":");
    return [pair.slice(0, at), { type: "plain_text" as const, value: pair.slice(at + 1) }];
  }),
);

const worker = await unstable_startWorker({
  config: values.config,
  bindings,
  dev: {
    inspector: false,
    server: { hostname: "127.0.0.1", port: Number(values.port) },
    persist: values["persist-to"] ?? false,
    watch: false,
    logLevel: "none",
    structuredLogsHandler: ({ level, message }: { level: string; message: string }) => {
      if (level === "error") console.error(message);
    },
  },
});
await worker.ready;

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, async () => {
    await worker.dispose();
    process.exit(0);
  });
}
