import { mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { describe, expect, inject, it } from "vitest";
import { runInTerminal, runScript } from "./run-script.ts";

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

  it("prints no control characters a model or a document slipped into an answer", async () => {
    // A service whose answer carries a title change, a screen clear, a carriage return and a C1 escape.
    const hostile = ["Biaya \u001b]0;diretas\u0007asrama ", "\u001b[2J\rRp 750.000\u009b31m ", "per bulan.\n\tLunas."];
    const server = createServer((request, response) => {
      if (request.url !== "/ask") return response.writeHead(200, { "content-type": "application/json" }).end("{}");
      response.writeHead(200, { "content-type": "text/event-stream" });
      const events = [
        { type: "session", session_id: "s".repeat(32) },
        ...hostile.map((token) => ({ type: "content", token })),
        { type: "source", sources: ["asrama\u001b[8m.md"], citations: [] },
        { type: "done" },
      ];
      response.end(events.map((event, i) => `id: ${i + 1}\ndata: ${JSON.stringify(event)}\n\n`).join(""));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const target = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const { stdout } = await chat("Berapa biaya asrama?\n", freshConfig(), target);
      expect(stdout).toContain("Biaya ]0;diretasasrama [2JRp 750.00031m per bulan.\n\tLunas.");
      expect(stdout).toContain("Sumber: asrama[8m.md");
      expect([...stdout].filter((char) => /\p{Cc}/u.test(char) && char !== "\n" && char !== "\t")).toEqual([]);
    } finally {
      server.close();
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
    expect(stdout).toMatch(/Dokumen: 7 berkas, \d+ potongan teks/);
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

  it("shows the answer's markdown formatted on a terminal", async () => {
    // A document made for this test, removed again so the other tests see the sample corpus only.
    const document = new FormData();
    const text = `# Kantin Zamrud

Kantin Zamrud buka **setiap hari pukul 07.00 sampai 19.00 WITA** dan menu kantin Zamrud ada di [laman kantin Zamrud](https://unm.ac.id/kantin-zamrud).`;
    document.append("file", new Blob([text], { type: "text/markdown" }), "kantin-zamrud.md");
    expect((await fetch(`${url}/upload`, { method: "POST", body: document })).status).toBe(200);
    try {
      const { code, stdout } = await runInTerminal(
        "scripts/chat.ts",
        ["--url", url],
        "Kapan kantin Zamrud buka?\n/exit\n",
        { TANYA_MAIL_CONFIG_DIR: freshConfig() },
      );
      expect(code).toBe(0);
      // The answer starts on a line of its own, under its header.
      expect(stripVTControlCharacters(stdout)).toMatch(/^Pak Ma'il \[\d\d:\d\d:\d\d\]:\r\nKantin Zamrud buka /m);
      expect(stdout).toContain("buka \u001b[1msetiap hari pukul 07.00 sampai 19.00 WITA\u001b[22m dan");
      expect(stdout).toContain("laman kantin Zamrud (\u001b[4mhttps://unm.ac.id/kantin-zamrud\u001b[24m)");
      expect(stdout).not.toContain("**");
    } finally {
      await fetch(`${url}/files/kantin-zamrud.md`, { method: "DELETE" });
    }
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
