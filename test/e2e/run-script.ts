// Runs one of the project's Node scripts the way a user would: with piped
// input, or typed into a terminal of its own.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";

export type Run = { code: number | null; stdout: string; stderr: string };

export function runScript(
  script: string,
  args: string[],
  input: string,
  env: Record<string, string> = {},
): Promise<Run> {
  const child = spawn(process.execPath, [script, ...args], {
    env: { ...process.env, NO_COLOR: "1", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  return finish(child, input);
}

/**
 * Runs the script on a pseudo-terminal (util-linux's `script`), with colours
 * as a terminal has them; `stdout` is what the terminal showed, `input` typed.
 */
export function runInTerminal(
  script: string,
  args: string[],
  input: string,
  env: Record<string, string> = {},
): Promise<Run> {
  const quote = (word: string) => `'${word.replaceAll("'", "'\\''")}'`;
  const command = [process.execPath, script, ...args].map(quote).join(" ");
  // A user's terminal: no NO_COLOR, and no CI, which makes Node report two colours.
  const { NO_COLOR: _, CI: __, FORCE_COLOR: ___, ...inherited } = process.env;
  const child = spawn("script", ["--quiet", "--flush", "--return", "--command", command, "/dev/null"], {
    env: { ...inherited, TERM: "xterm-256color", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  return finish(child, input);
}

function finish(child: ChildProcessWithoutNullStreams, input: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}
