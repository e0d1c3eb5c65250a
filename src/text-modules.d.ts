// Markdown files imported as strings (wrangler.toml `[[rules]]` type "Text").
declare module "*.md" {
  const text: string;
  export default text;
}
