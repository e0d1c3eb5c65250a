#!/usr/bin/env node
// Builds the web pages from web/ into public/, which the Worker serves as
// static assets: each page's script and stylesheet bundled with their npm
// dependencies (the pages' Content-Security-Policy allows no other origin),
// its HTML and the shared files copied. public/ holds nothing else, so files
// the build no longer makes are removed. Only changed files are written: the
// build runs on every `wrangler dev` start (and again when web/ changes),
// and servers already serving public/ are not disturbed by a rebuild that
// changes nothing.
//
//   npm run build    (node scripts/build-web.ts)
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const out = join(root, "public");

/** Each page: its folder in web/, and where its HTML is served from. */
const PAGES = [
  { name: "chat", html: "index.html" },
  // Served at /admin: the assets' default html_handling maps /admin to admin.html.
  { name: "admin", html: "admin.html" },
];
/** Files every page may use, served from /static/. */
const SHARED_FILES = ["favicon.svg"];

/** Builds public/ from web/; says how many files changed. */
export async function buildWebPages(): Promise<string> {
  const bundled = await build({
    absWorkingDir: root,
    entryPoints: PAGES.flatMap(({ name }) => [
      { in: `web/${name}/${name}.ts`, out: name },
      { in: `web/${name}/${name}.css`, out: name },
    ]),
    outdir: join(out, "static"),
    bundle: true,
    format: "esm",
    target: "es2022",
    minify: true,
    sourcemap: "linked",
    write: false,
    logLevel: "warning",
  });

  const files = new Map<string, Uint8Array>();
  for (const file of bundled.outputFiles) files.set(file.path, file.contents);
  for (const { name, html } of PAGES) files.set(join(out, html), readFileSync(join(root, "web", name, "index.html")));
  for (const file of SHARED_FILES) files.set(join(out, "static", file), readFileSync(join(root, "web/shared", file)));

  let written = 0;
  for (const [path, contents] of files) {
    if (sameContents(path, contents)) continue;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, contents);
    written++;
  }
  for (const path of filesUnder(out)) if (!files.has(path)) rmSync(path);
  return `web pages: ${written} of ${files.size} files in ${relative(root, out)}/ updated`;
}

if (import.meta.main) console.log(await buildWebPages());

function sameContents(path: string, contents: Uint8Array): boolean {
  try {
    return Buffer.compare(readFileSync(path), contents) === 0;
  } catch {
    return false;
  }
}

function filesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name));
  } catch {
    return [];
  }
}
