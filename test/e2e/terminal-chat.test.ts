import { mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { runScript } from "./run-script.ts";

const url = inject("baseUrl");
const chat = (input: string, configDir: string, target = url) =>
  runScript("scripts/chat.ts", ["--url", target], input, { TANYA_MAIL_CONFIG_DIR: configDir });
const freshConfig = () => mkdtempSync(join(tmpdir(), "tanya-chat-"));
const rememberedSession = (configDir: string, target = url): string =>
  JSON.parse(readFileSync(join(configDir, "sessions.json"), "utf8"))[target];

describe("terminal chat", () => {
  it("prints the streamed answer with its time and sources, and no prompts when piped", async () => {
    const { code, stdout, stderr } = await chat("Kapan pendaftaran PMB gelombang 1 dibuka?\n", freshConfig());
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Pak Ma'il \[\d\d:\d\d:\d\d\]: .*2 Januari 2027/m);
    expect(stdout).toMatch(/^Sumber: pmb-jadwal\.md/m);
    expect(stdout).not.toContain("Anda [");
    expect(stdout).not.toContain("\u001b[");
  });

  it("shows the session with /session and starts a fresh one with /new", async () => {
    const config = freshConfig();
    const first = await chat("Apa itu PMB?\n/session\n/new\nBerapa biaya asrama?\n/session\n", config);
    const ids = [...first.stdout.matchAll(/^Sesi: (\S+)$/gm)].map((match) => match[1]);
    expect(ids).toHaveLength(2);
    expect(ids[0]).not.toBe(ids[1]);
    expect(first.stdout).toContain("Percakapan baru dimulai.");
    expect(first.stdout).toMatch(/^Tanya jawab: 1$/m);
    expect(rememberedSession(config)).toBe(ids[1]);
  });

  it("continues the same conversation after a restart", async () => {
    const config = freshConfig();
    await chat("Apa itu PMB?\n", config);
    const sessionId = rememberedSession(config);
    const again = await chat("/session\nJelaskan lebih detail\n/stats\n", config);
    expect(again.stdout).toContain(`Sesi: ${sessionId}`);
    expect(again.stdout).toMatch(/^Tanya jawab: 1$/m);
    expect(again.stdout).toMatch(/^Pertanyaan: 2$/m);
    expect(rememberedSession(config)).toBe(sessionId);
  });

  it("finishes an answer whose connection dropped midway, printing each word once", async () => {
    // A proxy in front of the service that cuts every streamed answer after its first four events.
    const proxy = createServer(async (request, response) => {
      const body = await new Promise<Buffer>((resolve) => {
        const chunks: Buffer[] = [];
        request.on("data", (chunk) => chunks.push(chunk));
        request.on("end", () => resolve(Buffer.concat(chunks)));
      });
      const upstream = await fetch(`${url}${request.url}`, {
        method: request.method,
        headers: { "content-type": request.headers["content-type"] ?? "", accept: request.headers.accept ?? "" },
        body: request.method === "POST" ? new Uint8Array(body) : undefined,
      });
      let text = await upstream.text();
      if (request.method === "POST" && request.url === "/ask")
        text = `${text.split("\n\n").slice(0, 5).join("\n\n")}\n\n`;
      response.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "text/plain" });
      response.end(text);
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const address = proxy.address() as AddressInfo;
    const target = `http://127.0.0.1:${address.port}`;
    try {
      const config = freshConfig();
      const { code, stdout } = await chat("Apa syarat Beasiswa Prestasi Akademik?\n", config, target);
      expect(code).toBe(0);
      const history = (await (
        await fetch(`${url}/conversation/history/${rememberedSession(config, target)}`)
      ).json()) as {
        history: Array<{ answer: string }>;
      };
      const printed = /^Pak Ma'il \[\d\d:\d\d:\d\d\]: (.*)$/m.exec(stdout)?.[1];
      expect(printed).toBe(history.history[0]?.answer);
      expect(stdout).toMatch(/^Sumber: beasiswa\.md/m);
    } finally {
      proxy.close();
    }
  });

  it("rates the latest answer with /feedback, with a comment, and says how to use it", async () => {
    const config = freshConfig();
    const { stdout } = await chat(
      "/feedback up\nApa itu PMB?\nBerapa biaya asrama?\n/feedback\n/feedback DOWN Kurang   jelas, tolong\n",
      config,
    );
    const lines = stdout.split("\n");
    expect(lines[0]).toBe("Belum ada jawaban untuk dinilai.");
    expect(lines).toContain("Pemakaian: /feedback up|down [komentar]");
    expect(lines).toContain("Terima kasih atas umpan baliknya.");
    const { history } = (await (await fetch(`${url}/conversation/history/${rememberedSession(config)}`)).json()) as {
      history: Array<{ feedback: unknown }>;
    };
    expect(history.map((entry) => entry.feedback)).toEqual([null, { rating: "down", comment: "Kurang jelas, tolong" }]);
  });

  it("answers /status, /timezone and /help, and rejects unknown commands", async () => {
    const { stdout } = await chat("/status\n/timezone\n/help\n/entah\n", freshConfig());
    expect(stdout).toMatch(/API: terhubung ke .* mode embedded/);
    expect(stdout).toMatch(/Dokumen: 6 berkas, \d+ potongan teks/);
    expect(stdout).toMatch(/Zona waktu server: Asia\/Makassar \(WITA, UTC\+08:00\)/);
    expect(stdout).toContain("/new       mulai percakapan baru");
    expect(stdout).toContain("/feedback up|down [komentar]");
    expect(stdout).toContain("Perintah tidak dikenal.");
  });

  it("stops at an exit word and ignores what follows", async () => {
    const { code, stdout } = await chat("keluar\nApa itu PMB?\n", freshConfig());
    expect(code).toBe(0);
    expect(stdout).not.toContain("Pak Ma'il");
  });

  it("says in one line that it cannot reach the API, and exits 1", async () => {
    const { code, stdout, stderr } = await chat("Apa itu PMB?\n", freshConfig(), "http://127.0.0.1:9");
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr.trim()).toBe("Tidak dapat terhubung ke API di http://127.0.0.1:9");
  });

  it("says in one line when the remembered session has ended, and carries on in a new one", async () => {
    const config = freshConfig();
    await chat("Apa itu PMB?\n", config);
    const ended = rememberedSession(config);
    // Expired or deleted, the server answers the same 404 for it.
    expect((await fetch(`${url}/conversation/history/${ended}`, { method: "DELETE" })).status).toBe(200);
    const { stdout } = await chat("Berapa biaya asrama per bulan?\n", config);
    expect(stdout.split("\n")[0]).toBe("Sesi sebelumnya sudah berakhir; memulai sesi baru.");
    expect(stdout).toContain("Rp 750.000");
    const replacement = rememberedSession(config);
    expect(replacement).toBeTruthy();
    expect(replacement).not.toBe(ended);
  });
});
