// The configuration `npm run dev:production` and the production e2e tests
// serve: wrangler.toml's [env.production] exactly as deployed (every var,
// limit and Durable Object), except that AI and VECTORIZE, which cannot run
// locally, are service bindings to the stand-ins in rehearsal/, and the
// secrets are a rehearsal's own. It is derived from wrangler.toml on every
// start, so the rehearsal cannot drift from what `npm run deploy` deploys.
import { join } from "node:path";
import { readConfig, writeConfig } from "./wrangler-config.ts";

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
  const { file, remove } = writeConfig(config, secrets);
  return { configs: [file, join(root, "rehearsal", "wrangler.toml")], remove };
}
