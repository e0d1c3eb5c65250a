import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { runScript } from "./run-script.ts";

const check = (target: string) => runScript("scripts/check-sessions.ts", ["--url", target], "");

describe("npm run check:sessions", () => {
  it("passes against a running server and leaves no session behind", async () => {
    const url = inject("baseUrl");
    const { code, stdout } = await check(url);
    expect(stdout).not.toContain("❌");
    expect(stdout.match(/✅/g)).toHaveLength(10);
    expect(stdout).toContain("Semua pemeriksaan lulus.");
    expect(code).toBe(0);
    const ids = [...stdout.matchAll(/Sesi berbeda \((\S{8}) ≠ (\S{8})\)/g)].flatMap((match) => [match[1], match[2]]);
    const listing = (await (await fetch(`${url}/sessions?limit=100`)).json()) as {
      data: Array<{ session_id: string }>;
    };
    for (const short of ids)
      expect(listing.data.some((session) => session.session_id.startsWith(short ?? ""))).toBe(false);
  });

  describe("against a server that mixes users up", () => {
    let leaky: Server;
    let url = "";
    beforeAll(async () => {
      // Hands every user the same session, whose history holds both users' questions.
      const asked: string[] = [];
      leaky = createServer((request, response) => {
        let body = "";
        request.on("data", (chunk) => {
          body += chunk;
        });
        request.on("end", () => {
          response.setHeader("content-type", "application/json");
          if (request.url === "/ask") {
            const { question } = JSON.parse(body);
            asked.push(question);
            response.end(
              JSON.stringify({ question, answer: "Jawaban.", session_id: "shared-session-0000", sources: [] }),
            );
          } else if (request.url?.startsWith("/conversation/history/")) {
            const history = asked.map((question) => ({ question }));
            response.end(JSON.stringify({ history, total_exchanges: history.length }));
          } else {
            response.statusCode = 404;
            response.end(JSON.stringify({ detail: "Not Found" }));
          }
        });
      });
      await new Promise<void>((resolve) => leaky.listen(0, "127.0.0.1", resolve));
      const address = leaky.address();
      url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    });
    afterAll(() => new Promise<void>((resolve) => leaky.close(() => resolve())));

    it("reports each failed step and exits non-zero", async () => {
      const { code, stdout } = await check(url);
      expect(code).not.toBe(0);
      expect(stdout).toMatch(/❌ Sesi berbeda \(shared-s ≠ shared-s\)/);
      expect(stdout).toMatch(/❌ Riwayat Pengguna 1 berisi tepat 2 pertanyaannya sendiri/);
      expect(stdout).toMatch(/pemeriksaan gagal\./);
    });
  });
});
