// A proxy in front of the service that passes every request through, but
// holds each streamed answer (POST /ask) after its first content event until
// the test releases it, so a test can act while an answer is still streaming.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export type HeldStreamProxy = {
  url: string;
  /** Resolves when an answer is being held mid-stream. */
  held: () => Promise<void>;
  /** Lets the held answer, and every later one, stream to the end. */
  release: () => void;
  /** How many questions reached the service through the proxy. */
  questions: () => number;
  close: () => Promise<void>;
};

export async function startHeldStreamProxy(upstream: string): Promise<HeldStreamProxy> {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let holding = () => {};
  const held = new Promise<void>((resolve) => {
    holding = resolve;
  });
  let questions = 0;

  const server = createServer(async (request, response) => {
    const body = request.method === "POST" ? new Uint8Array(await readBody(request)) : undefined;
    const headers: Record<string, string> = {};
    for (const name of ["content-type", "accept", "last-event-id"]) {
      const value = request.headers[name];
      if (typeof value === "string") headers[name] = value;
    }
    const answer = await fetch(`${upstream}${request.url}`, { method: request.method, headers, body });
    const passed = new Headers(answer.headers);
    // fetch has already decoded the body.
    passed.delete("content-encoding");
    passed.delete("content-length");
    response.writeHead(answer.status, Object.fromEntries(passed));
    const streamed = request.method === "POST" && request.url === "/ask" && answer.body;
    if (!streamed || !passed.get("content-type")?.startsWith("text/event-stream")) {
      response.end(Buffer.from(await answer.arrayBuffer()));
      return;
    }
    questions++;
    const closed = new Promise<void>((resolve) => response.once("close", resolve));
    const decoder = new TextDecoder();
    let buffer = "";
    let passedFirstContent = false;
    for await (const chunk of answer.body) {
      buffer += decoder.decode(chunk, { stream: true });
      for (let end = buffer.indexOf("\n\n"); end !== -1; end = buffer.indexOf("\n\n")) {
        const event = buffer.slice(0, end + 2);
        buffer = buffer.slice(end + 2);
        if (response.destroyed) break;
        response.write(event);
        if (!passedFirstContent && event.includes('"type":"content"')) {
          passedFirstContent = true;
          holding();
          await Promise.race([released, closed]);
        }
      }
      if (response.destroyed) break;
    }
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    held: () => held,
    release,
    questions: () => questions,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
