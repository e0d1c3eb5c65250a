// Lets Node import the Worker's own modules (src/), whose imports name no
// extension (`./chunking`), by trying `.ts` when a relative import is not
// found. For the benchmarks that run service code in Node.
import { register } from "node:module";

const hook = `
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    if (!specifier.startsWith(".") || specifier.endsWith(".ts")) throw error;
    return next(specifier + ".ts", context);
  }
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`, import.meta.url);
