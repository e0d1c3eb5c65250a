import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { SessionObject } from "../src/session/session-object";

describe("answering a question", () => {
  it("reads as many stored rows with 1,000 exchanges in history as with five", async () => {
    const sessionId = crypto.randomUUID().replaceAll("-", "").padEnd(32, "r");
    await runInDurableObject(env.SESSIONS.getByName(sessionId), async (_, state) => {
      // Every query the object runs is counted, with the rows it read.
      const exec = vi.spyOn(state.storage.sql, "exec");
      const session = new SessionObject(state, env);
      const input = { session_id: sessionId, create: true, question: "Apa itu PMB?", top_k: 3, filename_filter: null };
      const rowsReadBy = async (question: string) => {
        exec.mockClear();
        const outcome = await session.ask({ ...input, create: false, question });
        expect(outcome).toHaveProperty("result");
        return exec.mock.results.reduce(
          (sum, result) => sum + (result.value as SqlStorageCursor<Record<string, SqlStorageValue>>).rowsRead,
          0,
        );
      };
      await session.ask(input);
      // Past the context window (3), so both reads below take a full window.
      for (const question of ["Apa syarat beasiswa?", "Kapan wisuda?", "Apa itu KRS?"]) await rowsReadBy(question);
      const withFive = await rowsReadBy("Berapa biaya asrama?");
      for (let i = 0; i < 995; i++) {
        state.storage.sql.exec(
          "INSERT INTO exchanges (question, answer, sources, citations, created_at) VALUES (?, ?, '[]', '[]', ?)",
          `Pertanyaan ${i}`,
          "Jawaban yang cukup panjang ".repeat(20),
          Date.now(),
        );
      }
      expect(state.storage.sql.exec("SELECT COUNT(*) AS n FROM exchanges").one().n).toBe(1000);
      const withThousand = await rowsReadBy("Berapa biaya asrama?");
      expect(withFive).toBeGreaterThan(0);
      // Only the trim of the exchange beyond MAX_HISTORY (1,000) reads more.
      expect(withThousand).toBeLessThanOrEqual(withFive + 2);
      exec.mockRestore();
    });
  });
});
