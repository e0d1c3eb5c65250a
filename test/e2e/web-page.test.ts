import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

const url = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}, 60_000);
afterAll(() => browser?.close());

async function askOnPage(page: Page, question: string) {
  await page.getByLabel("Pertanyaan Anda").fill(question);
  await page.getByLabel("Pertanyaan Anda").press("Enter");
  const answer = page.locator(".answer").last();
  await answer.locator(".sources summary").waitFor();
  return answer;
}

describe("web chat page", () => {
  it("shows a streamed answer with its sources, reloads the history, and starts a new conversation", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    await expect(page.getByRole("heading", { name: "Tanya Ma'il" }).isVisible()).resolves.toBe(true);

    const answer = await askOnPage(page, "Berapa biaya asrama per bulan?");
    expect(await answer.locator(".text").textContent()).toContain("Rp 750.000");
    expect(await answer.locator(".sources summary").textContent()).toContain("fasilitas-kampus.md");
    expect(await answer.locator(".sources li").first().textContent()).toContain("fasilitas-kampus.md");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("question");
    const sessionId = await page.evaluate(() => localStorage.getItem("tanya-mail.session_id"));
    expect(sessionId).toMatch(/^[A-Za-z0-9_-]{32}$/);

    await page.reload();
    await page.locator(".answer .text").first().waitFor();
    expect(await page.locator(".question").allTextContents()).toEqual(["Berapa biaya asrama per bulan?"]);
    expect(await page.locator(".answer .text").first().textContent()).toContain("Rp 750.000");

    await page.getByRole("button", { name: "Percakapan baru" }).click();
    expect(await page.locator(".question").count()).toBe(0);
    await askOnPage(page, "Apa itu PMB?");
    const newSession = await page.evaluate(() => localStorage.getItem("tanya-mail.session_id"));
    expect(newSession).not.toBe(sessionId);
    await context.close();
  });

  it("picks an answer up where a dropped connection left it, without losing or repeating a word", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    // The connection drops after the first four events: the server still has the whole answer.
    await page.route("**/ask", async (route) => {
      const response = await route.fetch();
      const blocks = (await response.text()).split("\n\n");
      await route.fulfill({ response, body: `${blocks.slice(0, 5).join("\n\n")}\n\n` });
    });
    await page.goto(url);
    const answer = await askOnPage(page, "Apa syarat Beasiswa Prestasi Akademik?");
    const sessionId = await page.evaluate(() => localStorage.getItem("tanya-mail.session_id"));
    const history = (await (await fetch(`${url}/conversation/history/${sessionId}`)).json()) as {
      history: Array<{ answer: string }>;
    };
    expect(history.history).toHaveLength(1);
    expect(await answer.locator(".text").textContent()).toBe(history.history[0]?.answer);
    expect(await answer.locator(".error").count()).toBe(0);
    await context.close();
  });

  it("tells the user when the stored session has expired, then starts afresh", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    await page.evaluate(() => localStorage.setItem("tanya-mail.session_id", "A".repeat(32)));
    await page.reload();
    await page.locator("#notice").waitFor();
    expect(await page.locator("#notice").textContent()).toContain("Sesi Anda sudah berakhir");
    const answer = await askOnPage(page, "Apa itu PMB?");
    expect(await answer.locator(".text").textContent()).toContain("Penerimaan Mahasiswa Baru");
    await context.close();
  });
});
