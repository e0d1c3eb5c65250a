import { readFile } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type LocalServer, startLocalServer } from "../../scripts/local-server.ts";
import { askOnPage, launchBrowser } from "./browser.ts";

// A service of its own, with an admin token, as in production.
const TOKEN = "staff-console-test-token-0123456789abcdef";
let server: LocalServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startLocalServer({ ADMIN_TOKEN: TOKEN }), launchBrowser()]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A page of its own (a student's, or a staff member's tab) at `path`. */
async function open(path: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${server.url}${path}`);
  return page;
}

async function signedIn(): Promise<Page> {
  const page = await open("/admin");
  await page.getByLabel("Token admin").fill(TOKEN);
  await page.getByRole("button", { name: "Masuk" }).click();
  await page.locator("#document-list tbody tr").first().waitFor();
  return page;
}

async function filenames(page: Page): Promise<string[]> {
  return page.locator("#document-list tbody th").allTextContents();
}

/** Reloads the insights until `list` shows `text`: answers reach the insights a moment after they are given. */
async function untilListed(page: Page, list: string, text: string): Promise<string> {
  let shown = "";
  await expect
    .poll(
      async () => {
        await page.locator("#reload-insights").click();
        shown = (await page.locator(`#${list}`).textContent()) ?? "";
        return shown;
      },
      { timeout: 15_000, interval: 500 },
    )
    .toContain(text);
  return shown;
}

describe("staff console at /admin", () => {
  it("refuses a wrong token with a visible message, signs in with the right one for this tab only, and signs out", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/admin`);
    await page.getByLabel("Token admin").fill("not-the-token-but-long-enough-to-look-like-one");
    await page.getByRole("button", { name: "Masuk" }).click();
    const refusal = page.getByRole("alert").and(page.locator("#sign-in-error"));
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain("Token tidak diterima");
    expect(await page.locator("#console").isVisible()).toBe(false);

    await page.getByLabel("Token admin").fill(TOKEN);
    await page.getByRole("button", { name: "Masuk" }).click();
    await page.locator("#document-list tbody tr").first().waitFor();
    expect(await filenames(page)).toContain("pmb-jadwal.md");
    expect(await page.evaluate(() => sessionStorage.getItem("tanya-mail.admin_token"))).toBe(TOKEN);
    expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain(TOKEN);

    await page.reload();
    await page.locator("#document-list tbody tr").first().waitFor();
    await page.getByRole("button", { name: "Keluar" }).click();
    await page.getByLabel("Token admin").waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem("tanya-mail.admin_token"))).toBeNull();
    expect(await page.locator("#document-list tbody tr").count()).toBe(0);
    await context.close();
  });

  it("uploads dropped files, each with its own result, lists them, and deletes one after confirmation", async () => {
    const page = await signedIn();
    const files = [
      { name: "kalender-akademik.md", text: "# Kalender Akademik\n\nKuliah semester ganjil dimulai 1 September." },
      { name: "layanan-perpustakaan.txt", text: "Perpustakaan buka Senin sampai Sabtu pukul 08.00-20.00." },
    ];
    const dropped = await page.evaluateHandle((files) => {
      const transfer = new DataTransfer();
      for (const file of files) transfer.items.add(new File([file.text], file.name, { type: "text/plain" }));
      return transfer;
    }, files);
    await page.dispatchEvent("#drop-zone", "drop", { dataTransfer: dropped });
    const uploads = page.locator("#uploads li");
    await expect.poll(() => uploads.filter({ hasText: "Diproses" }).count()).toBe(2);
    await expect.poll(() => filenames(page)).toEqual(expect.arrayContaining(files.map((file) => file.name)));
    const row = page.locator("#document-list tbody tr").filter({ hasText: "kalender-akademik.md" });
    expect(await row.textContent()).toMatch(/\d+ B.*1.*\d{4}/);

    // The same file again, and one the service cannot read, through the file picker.
    await page.locator("#file-picker").setInputFiles([
      { name: files[0]?.name ?? "", mimeType: "text/markdown", buffer: Buffer.from(files[0]?.text ?? "") },
      { name: "jadwal.docx", mimeType: "application/octet-stream", buffer: Buffer.from("PK not a text") },
    ]);
    await expect.poll(() => uploads.nth(1).textContent()).toMatch(/Gagal: .+/);
    expect(await uploads.first().textContent()).toContain("Sudah pernah diproses");

    await page.getByRole("button", { name: "Hapus kalender-akademik.md" }).click();
    const dialog = page.getByRole("dialog");
    expect(await dialog.textContent()).toContain("kalender-akademik.md");
    await dialog.getByRole("button", { name: "Hapus" }).click();
    await expect.poll(() => filenames(page)).not.toContain("kalender-akademik.md");
    expect(await filenames(page)).toContain("layanan-perpustakaan.txt");
    const listed = await fetch(`${server.url}/files`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const names = ((await listed.json()) as Array<{ filename: string }>).map((file) => file.filename);
    expect(names).toContain("layanan-perpustakaan.txt");
    expect(names).not.toContain("kalender-akademik.md");

    // A document uploaded elsewhere (by `npm run ingest`, say) shows after "Muat ulang".
    const form = new FormData();
    form.append("file", new Blob(["Wisuda diadakan setiap bulan Oktober."]), "jadwal-wisuda.txt");
    const elsewhere = await fetch(`${server.url}/upload`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}` },
      body: form,
    });
    expect(elsewhere.status).toBe(200);
    expect(await filenames(page)).not.toContain("jadwal-wisuda.txt");
    await page.locator("#reload-documents").click();
    await expect.poll(() => filenames(page)).toContain("jadwal-wisuda.txt");

    await page.getByLabel("Pertanyaan untuk dicari").fill("jam buka perpustakaan");
    await page.getByRole("button", { name: "Cari" }).click();
    await expect
      .poll(() => page.locator("#search-results li").first().textContent())
      .toContain("layanan-perpustakaan.txt");
    await page.context().close();
  });

  it("lists a question the documents cannot answer among the unanswered, with a shortcut to upload a document for it", async () => {
    const question = "Apakah kampus menyediakan penitipan kucing peliharaan?";
    const chat = await open("/");
    const answer = await askOnPage(chat, question);
    expect(await answer.locator(".text").textContent()).toContain("tidak menemukan");
    await chat.context().close();

    const page = await signedIn();
    await page.getByRole("tab", { name: "Wawasan" }).click();
    await untilListed(page, "unanswered", question);
    expect(await page.locator("#numbers").textContent()).toContain("Pertanyaan");
    expect(await page.locator("#per-day svg rect.unanswered").count()).toBe(7);

    const entry = page.locator("#unanswered li").filter({ hasText: question });
    await entry.getByRole("button", { name: "Unggah dokumen untuk ini" }).click();
    expect(await page.locator("#documents").isVisible()).toBe(true);
    expect(await page.locator("#upload-for").textContent()).toContain(question);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("pick-files");
    await page.context().close();
  });

  it("lists an answer given 👎 with its comment among the disliked, and downloads the report as CSV", async () => {
    const question = "Berapa biaya asrama per bulan?";
    const chat = await open("/");
    const answer = await askOnPage(chat, question);
    await answer.getByRole("button", { name: "Jawaban tidak membantu" }).click();
    await answer.getByLabel("Apa yang kurang? (opsional)").fill("Belum termasuk biaya makan");
    await answer.getByRole("button", { name: "Simpan komentar" }).click();
    await answer.getByText("Terima kasih, komentar Anda tercatat.").waitFor();
    await chat.context().close();

    const page = await signedIn();
    await page.getByRole("tab", { name: "Wawasan" }).click();
    const disliked = await untilListed(page, "disliked", "Belum termasuk biaya makan");
    expect(disliked).toContain(question);

    await page.getByRole("button", { name: "30 hari" }).click();
    await expect.poll(() => page.locator("#per-day svg rect.unanswered").count()).toBe(30);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Unduh CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^insights-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await readFile(await download.path(), "utf8");
    expect(csv).toContain("section,date,question");
    expect(csv).toContain("Belum termasuk biaya makan");
    await page.context().close();
  });

  it("shows the live sessions and deletes one after confirmation", async () => {
    const chat = await open("/");
    await askOnPage(chat, "Apa itu PMB?");
    const sessionId = (await chat.evaluate(() => localStorage.getItem("tanya-mail.session_id"))) ?? "";
    await chat.context().close();

    const page = await signedIn();
    await page.getByRole("tab", { name: "Sesi" }).click();
    const row = page.locator("#session-list tbody tr").filter({ has: page.locator(`th[title="${sessionId}"]`) });
    await expect
      .poll(async () => {
        await page.locator("#reload-sessions").click();
        return row.count();
      })
      .toBe(1);
    const count = Number((await page.locator("#session-count").textContent())?.replace(/\D/g, ""));
    expect(count).toBeGreaterThan(0);

    await row.getByRole("button", { name: /^Hapus sesi/ }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Hapus" }).click();
    await expect.poll(() => row.count()).toBe(0);
    expect(await page.locator("#session-count").textContent()).toBe(`Sesi aktif: ${count - 1}`);
    expect((await fetch(`${server.url}/conversation/history/${sessionId}`)).status).toBe(404);
    await page.context().close();
  });
});

describe("staff console on a local server without an admin token", () => {
  it("opens without asking for a token", async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${inject("baseUrl")}/admin`);
    await page.locator("#document-list tbody tr").first().waitFor();
    expect(await page.locator("#access").textContent()).toBe("Server lokal tanpa token admin");
    expect(await page.getByRole("button", { name: "Keluar" }).isVisible()).toBe(false);
    expect(await page.getByLabel("Token admin").isVisible()).toBe(false);
    await page.context().close();
  });
});
