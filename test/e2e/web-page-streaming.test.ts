import type { Browser } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { finished, launchBrowser, nextAnswer } from "./browser.ts";
import { type HeldStreamProxy, startHeldStreamProxy } from "./held-stream-proxy.ts";

const url = inject("baseUrl");
let browser: Browser;
let proxy: HeldStreamProxy;

beforeAll(async () => {
  browser = await launchBrowser();
}, 60_000);
afterAll(() => browser?.close());
// Each answer is held after its first words until the test releases it.
beforeEach(async () => {
  proxy = await startHeldStreamProxy(url);
});
afterEach(() => proxy.close());

type History = { history: Array<{ question: string; answer: string; complete: boolean }> };

describe("web chat page while an answer streams", () => {
  it("stops reading the answer on Stop, and shows it whole after a reload", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(proxy.url);
    const answer = await nextAnswer(page);
    await page.getByLabel("Pertanyaan Anda").fill("Apa syarat Beasiswa Prestasi Akademik?");
    await page.getByLabel("Pertanyaan Anda").press("Enter");
    await proxy.held();
    await answer.locator(".text").filter({ hasText: /\S/ }).waitFor();

    await page.getByRole("button", { name: "Berhenti" }).click();
    await finished(answer);
    const partial = (await answer.locator(".text").textContent()) ?? "";
    expect(await answer.locator(".note.stopped").textContent()).toBe("Jawaban dihentikan.");
    expect(await page.getByRole("button", { name: "Berhenti" }).isVisible()).toBe(false);
    expect(await page.getByRole("button", { name: "Kirim" }).isVisible()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("question");
    expect(await page.locator("#announcer").textContent()).toBe("Jawaban dihentikan.");

    // The server finished the answer all the same.
    const sessionId = await page.evaluate(() => localStorage.getItem("tanya-mail.session_id"));
    const history = (await (await fetch(`${url}/conversation/history/${sessionId}`)).json()) as History;
    const whole = history.history[0]?.answer ?? "";
    expect(history.history[0]?.complete).toBe(true);
    expect(partial.length).toBeLessThan(whole.length);
    expect(whole.startsWith(partial.trim())).toBe(true);
    await page.reload();
    await page.locator(".answer .text").first().waitFor();
    expect((await page.locator(".answer .text").first().textContent())?.trim()).toBe(whole);
    expect(await page.locator(".answer .note").count()).toBe(0);
    await context.close();
  });

  it("ignores Enter until the answer is done, and announces only the finished answer", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(proxy.url);
    const input = page.getByLabel("Pertanyaan Anda");
    const first = await nextAnswer(page);
    await input.fill("Berapa biaya asrama per bulan?");
    await input.press("Enter");
    await proxy.held();
    await first.locator(".text").filter({ hasText: /\S/ }).waitFor();
    expect(await first.getAttribute("aria-busy")).toBe("true");
    expect(await page.locator("#conversation").getAttribute("aria-live")).toBeNull();
    expect(await page.locator("#announcer").textContent()).toBe("");

    await input.fill("Apa itu PMB?");
    await input.press("Enter");
    expect(await input.inputValue()).toBe("Apa itu PMB?");
    expect(await page.locator(".question").count()).toBe(1);
    expect(proxy.questions()).toBe(1);

    proxy.release();
    await finished(first);
    const text = (await first.locator(".text").textContent())?.trim();
    expect(text).toContain("Rp 750.000");
    expect(await page.locator("#announcer").textContent()).toBe(`Pak Ma'il: ${text}`);

    const second = await nextAnswer(page);
    await input.press("Enter");
    await finished(second);
    expect(await page.locator(".question").allTextContents()).toEqual([
      "Berapa biaya asrama per bulan?",
      "Apa itu PMB?",
    ]);
    expect(await second.locator(".text").textContent()).toContain("Penerimaan Mahasiswa Baru");
    expect(proxy.questions()).toBe(2);
    await context.close();
  });
});
