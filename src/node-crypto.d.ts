// The one Node.js API the Worker uses (through nodejs_compat): a synchronous
// SHA-256, for log labels. Declared here rather than adding @types/node to the
// Worker's types, whose timers and globals differ from the Workers runtime's.
declare module "node:crypto" {
  interface Hash {
    update(data: string): Hash;
    digest(encoding: "hex"): string;
  }
  export function createHash(algorithm: "sha256"): Hash;
}
