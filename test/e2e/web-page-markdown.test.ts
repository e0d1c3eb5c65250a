import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalServer, startLocalServer } from "../../scripts/local-server.ts";
import { askOnPage, launchBrowser } from "./browser.ts";

// Documents made for these tests; embedded mode answers with their sentences
// verbatim, markdown and links included. ALLOWED_LINK_HOSTS is unm.ac.id.
const CANTEEN = `# Kantin Zamrud

Kantin Zamrud buka **setiap hari pukul 07.00 sampai 19.00 WITA** dan menu kantin Zamrud ada di [laman kantin Zamrud](https://unm.ac.id/kantin-zamrud).
Kupon kantin Zamrud dijual di [toko kupon Zamrud](https://kupon-zamrud.example/beli) dan di www.kupon-zamrud.example setiap hari.
Keluhan tentang kantin Zamrud dikirim lewat <a href="https://keluhan-zamrud.example/form">formulir keluhan Zamrud</a> atau [surel Zamrud](javascript:alert(document.cookie)).
`;

let server: LocalServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startLocalServer(), launchBrowser()]);
  const form = new FormData();
  form.append("file", new Blob([CANTEEN], { type: "text/markdown" }), "kantin-zamrud.md");
  const upload = await fetch(`${server.url}/upload`, { method: "POST", body: form });
  expect(upload.status).toBe(200);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

// A fresh page on the test's server, noting every dialog a script might open.
async function openPage(): Promise<{ page: Page; dialogs: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    dialog.dismiss();
  });
  return { page, dialogs, close: () => context.close() };
}

function linksIn(text: Locator): Promise<Array<{ text: string; href: string }>> {
  return text
    .locator("a")
    .evaluateAll((links) =>
      links.map((link) => ({ text: link.textContent ?? "", href: link.getAttribute("href") ?? "" })),
    );
}

describe("answers on the web chat page", () => {
  it("renders a document's markdown, keeping only the link to an allowed host clickable", async () => {
    const { page, dialogs, close } = await openPage();
    await page.goto(server.url);
    const answer = await askOnPage(
      page,
      "Kapan kantin Zamrud buka, di mana kupon kantin Zamrud dijual, dan ke mana keluhan kantin Zamrud dikirim?",
    );
    const text = answer.locator(".text");
    expect(await text.locator("strong").textContent()).toBe("setiap hari pukul 07.00 sampai 19.00 WITA");
    expect(await text.textContent()).not.toContain("**");

    expect(await linksIn(text)).toEqual([{ text: "laman kantin Zamrud", href: "https://unm.ac.id/kantin-zamrud" }]);
    const allowed = text.getByRole("link", { name: "laman kantin Zamrud" });
    expect(await allowed.getAttribute("target")).toBe("_blank");
    expect(await allowed.getAttribute("rel")).toBe("noopener noreferrer");
    // The other links' words stay, as words.
    for (const label of ["toko kupon Zamrud", "formulir keluhan Zamrud", "surel Zamrud"]) {
      expect(await text.textContent()).toContain(label);
    }
    expect(dialogs).toEqual([]);
    await close();
  });

  it("renders a model's markdown as it streams in, and keeps links the server let through unclickable", async () => {
    const { page, dialogs, close } = await openPage();
    // The answer's words are replaced by what a model might write, split into
    // small tokens that cut through the markdown, as a model's stream does.
    const written = [
      "Jadwal **kantin",
      " Zamrud**:\n\n",
      "- Senin sampai Jumat: 07.00–19.00\n- Sabtu: 08.00–14.00\n\n",
      "| Menu | Harga |\n|---|---|\n| Nasi kuning | Rp 12.000 |\n| Coto | Rp 20.000 |\n\n",
      "Info: [jadwal resmi](https://pmb.unm.ac.id/kantin), [hadiah](https://hadiah.example/klaim), ",
      '<a href="https://hadiah.example">klik di sini</a>, [skrip](javascript:alert(1)), ',
      "www.hadiah.example, <img src=x onerror=alert(2)> dan ![gambar](https://hadiah.example/a.png).",
    ];
    await page.route("**/ask", async (route) => {
      const response = await route.fetch();
      const events = (await response.text()).split("\n\n").filter((block) => !block.includes('"type":"content"'));
      const sources = events.findIndex((block) => block.includes('"type":"source"'));
      events.splice(sources, 0, ...written.map((token) => `data: ${JSON.stringify({ type: "content", token })}`));
      await route.fulfill({ response, body: events.join("\n\n") });
    });
    await page.goto(server.url);
    const answer = await askOnPage(page, "Kapan kantin Zamrud buka?");
    const text = answer.locator(".text");
    expect(await text.locator("strong").textContent()).toBe("kantin Zamrud");
    expect(await text.locator("li").allTextContents()).toEqual([
      "Senin sampai Jumat: 07.00–19.00",
      "Sabtu: 08.00–14.00",
    ]);
    expect(await text.locator("th").allTextContents()).toEqual(["Menu", "Harga"]);
    expect(await text.locator("td").allTextContents()).toEqual(["Nasi kuning", "Rp 12.000", "Coto", "Rp 20.000"]);

    expect(await linksIn(text)).toEqual([{ text: "jadwal resmi", href: "https://pmb.unm.ac.id/kantin" }]);
    expect(await text.locator("img").count()).toBe(0);
    for (const words of ["hadiah", "klik di sini", "skrip", "gambar"])
      expect(await text.textContent()).toContain(words);
    expect(dialogs).toEqual([]);
    await close();
  });
});
