import type { Browser, Locator } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { askOnPage, finished, launchBrowser, nextAnswer } from "./browser.ts";
import { startHeldStreamProxy } from "./held-stream-proxy.ts";

const url = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
}, 60_000);
afterAll(() => browser?.close());

type Feedback = { rating: "up" | "down"; comment: string | null } | null;

async function feedbackIn(sessionId: string | null): Promise<Feedback[]> {
  const response = await fetch(`${url}/conversation/history/${sessionId}`);
  const { history } = (await response.json()) as { history: Array<{ feedback: Feedback }> };
  return history.map((exchange) => exchange.feedback);
}

const up = (answer: Locator) => answer.getByRole("button", { name: "Jawaban membantu" });
const down = (answer: Locator) => answer.getByRole("button", { name: "Jawaban tidak membantu" });

describe("rating answers on the web chat page", () => {
  it("records 👍 and 👎 with a comment for the answer they are under, and shows them again after a reload", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    const first = await askOnPage(page, "Berapa biaya asrama per bulan?");
    const second = await askOnPage(page, "Apa syarat Beasiswa Prestasi Akademik?");
    const sessionId = await page.evaluate(() => localStorage.getItem("tanya-mail.session_id"));

    await up(first).click();
    await first.getByText("Terima kasih, penilaian Anda tercatat.").waitFor();
    expect(await up(first).getAttribute("aria-pressed")).toBe("true");
    await down(second).click();
    const comment = second.getByLabel("Apa yang kurang? (opsional)");
    await comment.waitFor();
    expect(await comment.evaluate((box) => document.activeElement === box)).toBe(true);
    expect(await comment.getAttribute("maxlength")).toBe("500");
    await comment.fill("Syarat penghasilan orang tua tidak disebut");
    await second.getByRole("button", { name: "Simpan komentar" }).click();
    await second.getByText("Terima kasih, komentar Anda tercatat.").waitFor();
    expect(await comment.isVisible()).toBe(false);
    expect(await feedbackIn(sessionId)).toEqual([
      { rating: "up", comment: null },
      { rating: "down", comment: "Syarat penghasilan orang tua tidak disebut" },
    ]);

    await page.reload();
    const answers = page.locator(".answer");
    await down(answers.nth(1)).waitFor();
    expect(await up(answers.first()).getAttribute("aria-pressed")).toBe("true");
    expect(await down(answers.first()).getAttribute("aria-pressed")).toBe("false");
    expect(await down(answers.nth(1)).getAttribute("aria-pressed")).toBe("true");
    expect(await answers.nth(1).locator(".feedback .status").textContent()).toContain(
      "Syarat penghasilan orang tua tidak disebut",
    );

    // A second click replaces the rating.
    await up(answers.nth(1)).click();
    await answers.nth(1).getByText("Terima kasih, penilaian Anda tercatat.").waitFor();
    expect(await down(answers.nth(1)).getAttribute("aria-pressed")).toBe("false");
    expect((await feedbackIn(sessionId))[1]).toEqual({ rating: "up", comment: null });
    await context.close();
  });

  it("offers no rating while an answer streams or for one stopped midway, and rates the next at its own place", async () => {
    const proxy = await startHeldStreamProxy(url);
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(proxy.url);
    const stopped = await nextAnswer(page);
    await page.getByLabel("Pertanyaan Anda").fill("Apa syarat Beasiswa Prestasi Akademik?");
    await page.getByLabel("Pertanyaan Anda").press("Enter");
    await proxy.held();
    await stopped.locator(".text").filter({ hasText: /\S/ }).waitFor();
    expect(await stopped.locator(".feedback").count()).toBe(0);
    await page.getByRole("button", { name: "Berhenti" }).click();
    await finished(stopped);
    expect(await stopped.locator(".feedback").count()).toBe(0);

    proxy.release();
    const next = await askOnPage(page, "Berapa biaya asrama per bulan?");
    await down(next).click();
    await next.getByText(/^Penilaian tercatat/).waitFor();
    const sessionId = await page.evaluate(() => localStorage.getItem("tanya-mail.session_id"));
    expect(await feedbackIn(sessionId)).toEqual([null, { rating: "down", comment: null }]);
    await context.close();
    await proxy.close();
  });
});
