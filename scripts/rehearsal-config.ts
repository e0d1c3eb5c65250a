// The configuration `npm run dev:production` and the production e2e tests
// serve: wrangler.toml's [env.production] exactly as deployed (every var,
// limit and Durable Object), except that AI and VECTORIZE, which cannot run
// locally, are service bindings to the stand-ins in rehearsal/, and the
// secrets are a rehearsal's own. It is derived from wrangler.toml on every
// start, so the rehearsal cannot drift from what `npm run deploy` deploys.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { experimental_readRawConfig } from "wrangler";

const STAND_INS = "tanya-mail-stand-ins";

export type Rehearsal = {
  /** The `-c` files for `wrangler dev`, the service first. */
  configs: string[];
  /** Removes the written configuration. */
  remove: () => void;
};

/** Writes the rehearsal's configuration, with `secrets` (ADMIN_TOKEN…) in its .dev.vars, never on a command line. */
export function writeRehearsal(secrets: Record<string, string>, root = process.cwd()): Rehearsal {
  const { env, topLevel } = readConfig(root);
  const production = env?.production;
  if (!production) throw new Error("wrangler.toml has no [env.production]");
  const { ai: _productionAi, vectorize: _productionVectorize, ...bindings } = production;
  const config = {
    ...topLevel,
    ...bindings,
    services: [
      ...(production.services ?? []),
      { binding: "AI", service: STAND_INS, entrypoint: "WorkersAi" },
      { binding: "VECTORIZE", service: STAND_INS, entrypoint: "VectorizeIndex" },
    ],
  };
  const folder = mkdtempSync(join(tmpdir(), "tanya-rehearsal-"));
  const file = join(folder, "wrangler.json");
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  const devVars = Object.entries(secrets).map(([name, value]) => `${name}=${JSON.stringify(value)}\n`);
  writeFileSync(join(folder, ".dev.vars"), devVars.join(""), { mode: 0o600 });
  return {
    configs: [file, join(root, "rehearsal", "wrangler.toml")],
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}

/**
 * wrangler.toml's top level (without AI and VECTORIZE) and its environments,
 * as wrangler reads them, with paths made absolute: a copy written elsewhere
 * serves the same Worker.
 */
export function readConfig(root = process.cwd()) {
  const { rawConfig } = experimental_readRawConfig({ config: join(root, "wrangler.toml") });
  const { env, ai: _ai, vectorize: _vectorize, ...topLevel } = rawConfig;
  return {
    env,
    topLevel: {
      ...topLevel,
      main: resolve(root, topLevel.main ?? "src/index.ts"),
      ...(topLevel.assets
        ? { assets: { ...topLevel.assets, directory: resolve(root, topLevel.assets.directory ?? ".") } }
        : {}),
    },
  };
}
