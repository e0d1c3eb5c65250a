// Debian's Chromium driven by playwright-core, and the chat page as a user works it.
import { type Browser, chromium, type Locator, type Page } from "playwright-core";

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
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
}

/** The answer that the next question will get, by position in the conversation. */
export async function nextAnswer(page: Page): Promise<Locator> {
  return page.locator(".answer").nth(await page.locator(".answer").count());
}

/** Resolves once the answer is no longer streaming. */
export async function finished(answer: Locator): Promise<void> {
  await answer.and(answer.page().locator('[aria-busy="false"]')).waitFor();
}

/** Types the question, presses Enter and waits for the whole answer. */
export async function askOnPage(page: Page, question: string): Promise<Locator> {
  const answer = await nextAnswer(page);
  await page.getByLabel("Pertanyaan Anda").fill(question);
  await page.getByLabel("Pertanyaan Anda").press("Enter");
  await finished(answer);
  return answer;
}
