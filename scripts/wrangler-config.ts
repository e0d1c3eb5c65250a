// wrangler.toml as wrangler reads it, and copies of it written elsewhere for a
// local server to serve with some bindings changed: the production rehearsal
// (rehearsal-config.ts) and the end-to-end tests' shared server. A copy is
// derived on every start, so it cannot drift from what is deployed.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { experimental_readRawConfig } from "wrangler";

/**
 * wrangler.toml's top level (without AI and VECTORIZE) and its environments,
 * with paths made absolute: a copy written elsewhere serves, and builds, the
 * same Worker.
 */
export function readConfig(root = process.cwd()) {
  const { rawConfig } = experimental_readRawConfig({ config: join(root, "wrangler.toml") });
  const { env, ai: _ai, vectorize: _vectorize, ...topLevel } = rawConfig;
  const { build, assets } = topLevel;
  return {
    env,
    topLevel: {
      ...topLevel,
      main: resolve(root, topLevel.main ?? "src/index.ts"),
      ...(build
        ? {
            build: { ...build, cwd: resolve(root, build.cwd ?? "."), watch_dir: resolve(root, build.watch_dir ?? ".") },
          }
        : {}),
      ...(assets ? { assets: { ...assets, directory: resolve(root, assets.directory ?? ".") } } : {}),
    },
  };
}

/** Writes `config` to a folder of its own, with `secrets` in its .dev.vars (never on a command line). */
export function writeConfig(
  config: object,
  secrets: Record<string, string> = {},
): { file: string; remove: () => void } {
  const folder = mkdtempSync(join(tmpdir(), "tanya-config-"));
  const file = join(folder, "wrangler.json");
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  const devVars = Object.entries(secrets).map(([name, value]) => `${name}=${JSON.stringify(value)}\n`);
  if (devVars.length > 0) writeFileSync(join(folder, ".dev.vars"), devVars.join(""), { mode: 0o600 });
  return { file, remove: () => rmSync(folder, { recursive: true, force: true }) };
}
