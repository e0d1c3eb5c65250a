// The Worker serves the pages from public/, which the web build makes; the
// Vitest plugin, unlike `wrangler dev`, does not run wrangler.toml's [build].
import { buildWebPages } from "../scripts/build-web.ts";

export async function setup(): Promise<void> {
  await buildWebPages();
}
