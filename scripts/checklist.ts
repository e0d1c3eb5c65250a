// The steps a script checks a running deployment by (`npm run smoke`,
// `npm run check:sessions`): one line per step, ✅ or ❌ with the reason, and
// how many failed, for the exit code.

export class Checklist {
  failures = 0;

  /** Runs one step: it passes with `true`, fails with `false`, a reason, or an error. */
  async step(name: string, run: () => Promise<boolean | string>): Promise<boolean> {
    let outcome: boolean | string;
    try {
      outcome = await run();
    } catch (error) {
      outcome = error instanceof Error ? error.message : String(error);
    }
    const passed = outcome === true;
    console.log(`${passed ? "✅" : "❌"} ${name}${typeof outcome === "string" ? `: ${outcome}` : ""}`);
    if (!passed) this.failures += 1;
    return passed;
  }
}
