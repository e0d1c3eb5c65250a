import { readFile } from "node:fs/promises";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig, type Plugin } from "vitest/config";

// wrangler bundles *.md as text (the [[rules]] in wrangler.toml); the Vitest
// plugin resolves such rule imports against the project root instead of the
// importing file, so tests load Markdown as text modules through Vite instead.
const markdownAsText: Plugin = {
  name: "markdown-as-text",
  enforce: "pre",
  async resolveId(source, importer) {
    if (!source.endsWith(".md") || !importer) return null;
    const resolved = await this.resolve(source, importer, { skipSelf: true });
    return resolved ? `${resolved.id}?text` : null;
  },
  async load(id) {
    if (!id.endsWith(".md?text")) return null;
    const text = await readFile(id.slice(0, -"?text".length), "utf8");
    return `export default ${JSON.stringify(text)};`;
  },
};

// Test fixtures such as PDFs, imported as `./file.pdf?arraybuffer`, and the
// sample corpus's PDFs, which wrangler bundles as bytes (a "Data" rule).
const binaryFixtures: Plugin = {
  name: "binary-fixtures",
  enforce: "pre",
  async load(id) {
    const path = id.endsWith("?arraybuffer") ? id.slice(0, -"?arraybuffer".length) : id;
    if (!path.endsWith(".pdf")) return null;
    const bytes = await readFile(path);
    return `export default new Uint8Array(${JSON.stringify([...bytes])}).buffer;`;
  },
};

export default defineConfig({
  test: {
    // The service logs a JSON line per request; show them only for a test that failed.
    silent: "passed-only",
    projects: [
      {
        // Everything inside the Workers runtime, with real Durable Objects and SQLite.
        plugins: [
          markdownAsText,
          binaryFixtures,
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            // Workers AI and Vectorize live only in [env.production]; tests never reach Cloudflare.
            remoteBindings: false,
          }),
        ],
        test: {
          name: "workers",
          include: ["test/**/*.test.ts"],
          // One runtime for every file, one file at a time: starting a runtime per
          // file took longer than the tests. Files therefore share storage, and a
          // test counts what it changed instead of assuming an empty service.
          isolate: false,
          fileParallelism: false,
          exclude: ["test/e2e/**"],
          globalSetup: ["test/global-setup.ts"],
          // The session listing is updated off the response path, a moment later.
          expect: { poll: { timeout: 5000 } },
          // The first request of each file starts the runtime and loads the sample corpus.
          testTimeout: 30_000,
        },
      },
      {
        // The terminal chat, the session check and the web page against `wrangler dev`.
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/e2e/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
