import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../src/http/app";
import scannedPdf from "./fixtures/hasil-pindai.pdf?arraybuffer";
import multiPagePdf from "./fixtures/panduan-wisuda.pdf?arraybuffer";
import { anotherClient, ask, callLocal, getJson, getLocalJson, type Json, postForm, upload } from "./helpers";

async function health(): Promise<{ total_documents: number; total_files: number }> {
  return (await getJson("/health")).body as never;
}

describe("uploading documents", () => {
  it("indexes a multi-page PDF so /ask answers from it right away", async () => {
    const size = multiPagePdf.byteLength;
    const digest = await crypto.subtle.digest("SHA-256", multiPagePdf);
    const res = await upload("panduan-wisuda.pdf", multiPagePdf.slice(0), "application/pdf");
    expect(res.status).toBe(200);
    const body = await res.json<Json>();
    expect(body.status).toBe("success");
    expect(body.data).toMatchObject({ filename: "panduan-wisuda.pdf", size });
    expect(body.data.chunks).toBeGreaterThan(0);
    expect(body.data.file_hash).toBe([...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join(""));
    const answer = await ask("Berapa biaya wisuda?");
    expect(answer.sources[0]).toBe("panduan-wisuda.pdf");
    expect(answer.answer).toContain("Rp 1.200.000");
    const page3 = await ask("Kapan gladi bersih wisuda?", { filename_filter: "panduan-wisuda.pdf" });
    expect(page3.answer).toContain("sehari sebelum acara");
  });

  it("indexes .txt and .md files, and says when the same content was already processed", async () => {
    const text = "Kantin kampus buka setiap hari pukul 07.00 sampai 19.00 WITA dan menyediakan menu sehat.";
    const first = await upload("kantin.txt", text, "text/plain");
    expect(first.status).toBe(200);
    expect((await first.json<Json>()).data.already_processed).toBe(false);
    const again = await upload("kantin.txt", text, "text/plain");
    expect(again.status).toBe(200);
    const repeated = await again.json<Json>();
    expect(repeated.message).toMatch(/already processed/);
    expect(repeated.data).toMatchObject({ filename: "kantin.txt", already_processed: true });
    const md = await upload("parkir.md", "# Parkir\n\nParkir motor mahasiswa gratis di gedung parkir timur.");
    expect(md.status).toBe(200);
    const search = await getLocalJson("/search?query=parkir%20motor&top_k=3");
    expect(search.body[0]).toMatchObject({ filename: "parkir.md" });
  });

  it("replaces a new version, keeping counts and indexes consistent, and deletes it from both", async () => {
    const before = await health();
    await upload("jam-layanan.txt", "Layanan akademik buka pukul 08.00 sampai 15.00 WITA setiap hari kerja.");
    const afterFirst = await health();
    expect(afterFirst.total_files).toBe(before.total_files + 1);
    // Searched before the new version too, so a remembered result would show.
    const first = await getLocalJson("/search?query=layanan%20akademik%20buka&filename_filter=jam-layanan.txt");
    expect(first.body[0].content).toContain("08.00");
    const newVersion = "Layanan akademik kini buka pukul 07.30 sampai 16.00 WITA setiap hari kerja.";
    await upload("jam-layanan.txt", newVersion);
    const afterSecond = await health();
    expect(afterSecond).toEqual(afterFirst);
    const found = await getLocalJson("/search?query=layanan%20akademik%20buka&filename_filter=jam-layanan.txt");
    expect(found.body).toHaveLength(1);
    expect(found.body[0].content).toContain("07.30");
    const files = (await getLocalJson("/files")).body as Json[];
    const entry = files.find((file) => file.filename === "jam-layanan.txt");
    expect(entry).toMatchObject({
      size: new TextEncoder().encode(newVersion).byteLength,
      chunks: 1,
      file_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(entry?.upload_date).toMatch(/\+08:00$/);

    const deleted = await callLocal("/files/jam-layanan.txt", { method: "DELETE" });
    expect(await deleted.json()).toEqual({
      status: "success",
      message: "jam-layanan.txt deleted",
      data: { deleted_chunks: 1 },
    });
    expect(await health()).toEqual(before);
    expect(
      (await getLocalJson("/search?query=layanan%20akademik%20buka&filename_filter=jam-layanan.txt")).body,
    ).toEqual([]);
    const again = await callLocal("/files/jam-layanan.txt", { method: "DELETE" });
    expect(again.status).toBe(404);
  });

  it("indexes the same content under two names as two files", async () => {
    const text = "Asrama putri berada di sebelah barat perpustakaan pusat kampus.";
    expect((await upload("asrama-putri.txt", text)).status).toBe(200);
    expect((await upload("salinan-asrama-putri.txt", text)).status).toBe(200);
    const { body } = await getLocalJson("/search?query=asrama%20putri%20barat&top_k=2");
    expect(body.map((result: Json) => result.filename).sort()).toEqual([
      "asrama-putri.txt",
      "salinan-asrama-putri.txt",
    ]);
  });

  it("rejects a scanned PDF without text with 422, changing nothing", async () => {
    const before = await health();
    const res = await upload("hasil-pindai.pdf", scannedPdf, "application/pdf");
    expect(res.status).toBe(422);
    expect((await res.json<Json>()).detail).toMatch(/no extractable text.*OCR/);
    expect(await health()).toEqual(before);
  });

  it("rejects files that are not what they claim, or of other types, with 415", async () => {
    const fake = await upload("laporan.pdf", "ini bukan pdf");
    expect(fake.status).toBe(415);
    expect((await fake.json<Json>()).detail).toMatch(/not a PDF/);
    const exe = await upload("program.exe", "MZ\u0000\u0001");
    expect(exe.status).toBe(415);
    expect((await exe.json<Json>()).detail).toMatch(/PDF, \.txt or \.md/);
    const binary = await upload("data.txt", new Uint8Array([0xff, 0xfe, 0x00, 0x41]));
    expect(binary.status).toBe(415);
    const notMultipart = await callLocal("/upload", {
      method: "POST",
      headers: { "content-type": "text/plain", "content-length": "1" },
      body: "x",
    });
    expect(notMultipart.status).toBe(415);
    const noFile = new FormData();
    noFile.append("other", "x");
    expect((await postForm(noFile)).status).toBe(422);
  });

  it("rejects a file over MAX_UPLOAD_BYTES with 413", async () => {
    const form = new FormData();
    form.append("file", new File(["x".repeat(2048)], "besar.txt", { type: "text/plain" }));
    const res = await postForm(form, (init) => app.request("/upload", init, { ...env, MAX_UPLOAD_BYTES: "1024" }));
    expect(res.status).toBe(413);
    expect((await res.json<Json>()).detail).toMatch(/MAX_UPLOAD_BYTES/);
  });

  it("refuses an upload without Content-Length with 411, and one whose body outgrows its stated length with 413", async () => {
    const form = new FormData();
    form.append("file", new File(["x".repeat(64 * 1024)], "besar.txt", { type: "text/plain" }));
    const multipart = new Response(form);
    const type = multipart.headers.get("content-type") ?? "";
    const bytes = new Uint8Array(await multipart.arrayBuffer());
    const streamed = () => new Response(bytes).body as ReadableStream<Uint8Array>;
    const limited = { ...env, MAX_UPLOAD_BYTES: "1024" };
    const unannounced = await app.request(
      "/upload",
      { method: "POST", headers: { "content-type": type }, body: streamed() },
      limited,
    );
    expect(unannounced.status).toBe(411);
    expect((await unannounced.json<Json>()).detail).toMatch(/Content-Length/);
    // A length that understates the body: counting stops at the limit, not at the end of the body.
    const understated = await app.request(
      "/upload",
      { method: "POST", headers: { "content-type": type, "content-length": "900" }, body: streamed() },
      limited,
    );
    expect(understated.status).toBe(413);
    expect((await understated.json<Json>()).detail).toMatch(/larger than 1024 bytes \(MAX_UPLOAD_BYTES\)/);
    expect((await getLocalJson("/files")).body.map((file: Json) => file.filename)).not.toContain("besar.txt");
  });

  it("indexes a PDF's text extracted elsewhere under the PDF's own name, hash and size", async () => {
    const form = () => {
      const data = new FormData();
      data.append("file", new File(["Yudisium fakultas teknik diadakan setiap akhir semester."], "yudisium.pdf"));
      data.append("source_sha256", "a".repeat(64));
      data.append("source_bytes", "123456");
      return data;
    };
    const first = await postForm(form());
    expect(first.status).toBe(200);
    expect((await first.json<Json>()).data).toMatchObject({
      filename: "yudisium.pdf",
      size: 123456,
      file_hash: "a".repeat(64),
    });
    const again = await postForm(form());
    expect((await again.json<Json>()).message).toMatch(/already processed/);
    expect((await ask("Kapan yudisium fakultas teknik?")).sources[0]).toBe("yudisium.pdf");
    const half = new FormData();
    half.append("file", new File(["teks"], "setengah.pdf"));
    half.append("source_sha256", "a".repeat(64));
    expect((await postForm(half)).status).toBe(422);
  });

  it("strips invisible and bidi-override characters before indexing", async () => {
    await upload("tersembunyi.txt", "Jadwal\u200B ujian\u202E akhir\u0007 semester adalah bulan Desember.");
    const { body } = await getLocalJson("/search?query=jadwal%20ujian&filename_filter=tersembunyi.txt");
    expect(body[0].content).toBe("Jadwal ujian akhir semester adalah bulan Desember.");
  });
});

describe("searching and the vector index in embedded mode", () => {
  it("validates search parameters and cuts content to 500 characters", async () => {
    expect((await getLocalJson("/search")).status).toBe(422);
    expect((await getLocalJson("/search?query=biaya&top_k=21")).status).toBe(422);
    const body = (await getLocalJson("/search?query=biaya%20kuliah&top_k=20")).body as unknown as Json[];
    expect(body.length).toBeGreaterThan(0);
    for (const result of body) {
      expect(Object.keys(result).sort()).toEqual(["content", "doc_id", "filename", "similarity_score"]);
      expect(result.content.length).toBeLessThanOrEqual(500);
    }
  });

  it("explains that there is no vector index to rebuild", async () => {
    const res = await callLocal("/build-vectorstore", { method: "POST" });
    expect(res.status).toBe(409);
    expect((await res.json<Json>()).detail).toMatch(/no vector index/);
  });

  it("keeps document management behind the admin token once it is set", async () => {
    const withToken = { ...env, ADMIN_TOKEN: "rahasia-yang-panjangnya-32-karakter" };
    for (const [method, path] of [
      ["GET", "/files"],
      ["POST", "/upload"],
      ["DELETE", "/files/x.txt"],
      ["POST", "/build-vectorstore"],
      ["GET", "/search?query=biaya"],
    ] as const) {
      const headers = { "cf-connecting-ip": anotherClient() };
      expect((await app.request(path, { method, headers }, withToken)).status, path).toBe(401);
    }
  });
});
