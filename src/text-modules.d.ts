// Markdown files imported as strings (wrangler.toml `[[rules]]` type "Text").
declare module "*.md" {
  const text: string;
  export default text;
}

// Test fixtures imported as bytes (Vite's ?arraybuffer loader in vitest.config.ts).
declare module "*.pdf?arraybuffer" {
  const bytes: ArrayBuffer;
  export default bytes;
}
