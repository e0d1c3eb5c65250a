import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { askOnPage, finished, launchBrowser, nextAnswer } from "./browser.ts";

const url = inject("baseUrl");
let browser: Browser;
const words = (text: string | null | undefined) => (text ?? "").match(/[\p{L}\p{N}.,]+/gu)?.join(" ");

beforeAll(async () => {
  browser = await launchBrowser();
}, 60_000);
afterAll(() => browser?.close());

describe("web chat page", () => {
  it("shows a streamed answer with its sources, reloads the history, and starts a new conversation", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const failed: string[] = [];
    page.on("response", (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(url);
    await expect(page.getByRole("heading", { name: "Tanya Ma'il" }).isVisible()).resolves.toBe(true);

    const answer = await askOnPage(page, "Berapa biaya asrama per bulan?");
    expect(await answer.locator(".text").textContent()).toContain("Rp 750.000");
    expect(await answer.locator(".citations .marker").first().textContent()).toBe("[1] fasilitas-kampus.md");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("question");
    const sessionId = await page.evaluate(() => localStorage.getItem("tanya-mail.session_id"));
    expect(sessionId).toMatch(/^[A-Za-z0-9_-]{32}$/);

    await page.reload();
    await page.locator(".answer .text").first().waitFor();
    expect(await page.locator(".question").allTextContents()).toEqual(["Berapa biaya asrama per bulan?"]);
    expect(await page.locator(".answer .text").first().textContent()).toContain("Rp 750.000");
    expect(await page.locator(".answer .marker").first().textContent()).toBe("[1] fasilitas-kampus.md");

    await page.getByRole("button", { name: "Percakapan baru" }).click();
    expect(await page.locator(".question").count()).toBe(0);
    await askOnPage(page, "Apa itu PMB?");
    const newSession = await page.evaluate(() => localStorage.getItem("tanya-mail.session_id"));
    expect(newSession).not.toBe(sessionId);
    // The page, its script, style, icon and settings: nothing it asked for was missing.
    expect(failed).toEqual([]);
    await context.close();
  });

  it("offers starter questions on the empty page, and sends the one chosen", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    const starters = page.locator("#starters button");
    await starters.first().waitFor();
    const offered = await starters.allTextContents();
    const config = (await (await fetch(`${url}/client-config`)).json()) as { starter_questions: string[] };
    expect(offered).toEqual(config.starter_questions);

    const answer = await nextAnswer(page);
    await page.getByRole("button", { name: "Berapa biaya asrama per bulan?" }).click();
    await finished(answer);
    expect(await page.locator(".question").allTextContents()).toEqual(["Berapa biaya asrama per bulan?"]);
    expect(await answer.locator(".text").textContent()).toContain("Rp 750.000");
    expect(await page.locator("#starters").isVisible()).toBe(false);

    await page.getByRole("button", { name: "Percakapan baru" }).click();
    expect(await starters.count()).toBe(offered.length);
    expect(await page.locator("#starters").isVisible()).toBe(true);
    await context.close();
  });

  it("opens the quoted passage behind each numbered citation marker", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    const answer = await askOnPage(page, "Apa syarat Beasiswa Prestasi Akademik?");
    const sessionId = await page.evaluate(() => localStorage.getItem("tanya-mail.session_id"));
    const { history } = (await (await fetch(`${url}/conversation/history/${sessionId}`)).json()) as {
      history: Array<{ citations: Array<{ filename: string; snippet: string }> }>;
    };
    const citations = history[0]?.citations ?? [];
    const markers = answer.locator(".marker");
    expect(await markers.count()).toBe(citations.length);
    expect(citations.length).toBeGreaterThan(1);
    const passages = answer.locator(".passage");
    expect(await passages.filter({ visible: true }).count()).toBe(0);

    await markers.first().click();
    expect(await markers.first().getAttribute("aria-expanded")).toBe("true");
    const opened = passages.filter({ visible: true });
    expect(await opened.count()).toBe(1);
    expect(await opened.locator(".from").textContent()).toBe(`[1] ${citations[0]?.filename}`);
    // The passage is shown as the document has it, its markdown rendered.
    expect(words(await opened.locator(".markdown").textContent())).toBe(words(citations[0]?.snippet));

    await markers.nth(1).click();
    expect(await markers.first().getAttribute("aria-expanded")).toBe("false");
    expect(await passages.filter({ visible: true }).count()).toBe(1);
    expect(await passages.filter({ visible: true }).locator(".from").textContent()).toBe(
      `[2] ${citations[1]?.filename}`,
    );
    await markers.nth(1).click();
    expect(await passages.filter({ visible: true }).count()).toBe(0);
    await context.close();
  });

  it("copies an answer's text with its copy button", async () => {
    const context = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
    const page = await context.newPage();
    await page.goto(url);
    const answer = await askOnPage(page, "Berapa biaya asrama per bulan?");
    const sessionId = await page.evaluate(() => localStorage.getItem("tanya-mail.session_id"));
    const stored = (await (await fetch(`${url}/conversation/history/${sessionId}`)).json()) as {
      history: Array<{ answer: string }>;
    };
    await answer.getByRole("button", { name: "Salin jawaban" }).click();
    await answer.getByText("Tersalin").waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(stored.history[0]?.answer);
    expect(await page.locator("#announcer").textContent()).toBe("Jawaban disalin.");
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
    expect((await answer.locator(".text").textContent())?.trim()).toBe(history.history[0]?.answer);
    expect(await answer.locator(".note").count()).toBe(0);
    await context.close();
  });

  it("tells the user when the stored session has expired, then starts afresh", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    // Once the suggestions show, the page has looked for a stored session.
    await page.locator("#starters button").first().waitFor();
    await page.evaluate(() => localStorage.setItem("tanya-mail.session_id", "A".repeat(32)));
    await page.reload();
    await page.locator("#notice").waitFor();
    expect(await page.locator("#notice").textContent()).toContain("Sesi Anda sudah berakhir");
    const answer = await askOnPage(page, "Apa itu PMB?");
    expect(await answer.locator(".text").textContent()).toContain("Penerimaan Mahasiswa Baru");
    await context.close();
  });
});
