import { createHash } from "node:crypto";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { runScript } from "./run-script.ts";

const url = inject("baseUrl");
const ingest = (...args: string[]) => runScript("scripts/ingest.ts", [...args, "--url", url], "");

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), "tanya-ingest-"));
  copyFileSync("test/fixtures/panduan-wisuda.pdf", join(dir, "panduan-wisuda.pdf"));
  copyFileSync("test/fixtures/hasil-pindai.pdf", join(dir, "hasil-pindai.pdf"));
  writeFileSync(join(dir, "koperasi.txt"), "Koperasi mahasiswa buka setiap hari kerja pukul 09.00 WITA.");
  writeFileSync(join(dir, "catatan.docx"), "diabaikan");
  return dir;
}

describe("npm run ingest", () => {
  it("uploads each document with a line per file and a summary, exiting 1 when one failed", async () => {
    const dir = folder();
    const first = await ingest(dir);
    expect(first.stdout).toContain("✓ koperasi.txt: processed (1 chunks)");
    expect(first.stdout).toMatch(/✓ panduan-wisuda\.pdf: processed/);
    expect(first.stdout).toMatch(/✗ hasil-pindai\.pdf: failed: .*no extractable text/);
    expect(first.stdout).not.toContain("catatan.docx");
    expect(first.stdout).toContain("2 processed, 0 already processed, 1 failed");
    expect(first.code).toBe(1);

    const again = await ingest(dir);
    expect(again.stdout).toContain("= koperasi.txt: already processed");
    expect(again.stdout).toContain("0 processed, 2 already processed, 1 failed");

    const forced = await ingest(dir, "--force");
    expect(forced.stdout).toContain("✓ koperasi.txt: processed (1 chunks)");

    const files = (await (await fetch(`${url}/files`)).json()) as Array<{ filename: string; file_hash: string }>;
    expect(files.map((file) => file.filename)).toEqual(expect.arrayContaining(["koperasi.txt", "panduan-wisuda.pdf"]));
    // The PDF's text was extracted here and stored under the PDF's own hash.
    const pdfHash = createHash("sha256").update(readFileSync("test/fixtures/panduan-wisuda.pdf")).digest("hex");
    expect(files.find((file) => file.filename === "panduan-wisuda.pdf")?.file_hash).toBe(pdfHash);
  });

  it("only lists what it would do on a dry run", async () => {
    const dir = folder();
    const before = await (await fetch(`${url}/health`)).json();
    const { code, stdout } = await ingest(dir, "--dry-run");
    expect(code).toBe(0);
    expect(stdout).toContain("would upload koperasi.txt");
    expect(stdout).toContain("Dry run: 3 processed");
    expect(await (await fetch(`${url}/health`)).json()).toEqual(before);
  });

  it("takes the admin token from ADMIN_TOKEN or standard input, never from the command line", async () => {
    const refused = await runScript("scripts/ingest.ts", [folder(), "--url", url, "--token", "rahasia"], "");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--token would leave the admin token in `ps` and your shell history/);

    // A service that records the token each request carries.
    const seen: Array<string | undefined> = [];
    const server = createServer((request, response) => {
      seen.push(request.headers.authorization);
      response.writeHead(200, { "content-type": "application/json" }).end("[]");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const target = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const token = "dari-stdin-panjangnya-lebih-dari-32-karakter";
      await runScript("scripts/ingest.ts", [folder(), "--url", target, "--token-stdin", "--dry-run"], `${token}\n`);
      expect(seen).toEqual([`Bearer ${token}`]);
      seen.length = 0;
      await runScript("scripts/ingest.ts", [folder(), "--url", target, "--dry-run"], "", { ADMIN_TOKEN: "dari-env" });
      expect(seen).toEqual(["Bearer dari-env"]);
    } finally {
      server.close();
    }
  });
});
