// Every operation in the OpenAPI document, driven with inputs generated from
// its schemas and with mutations of them: wrong types, huge and strange
// strings, missing and extra fields, broken JSON and broken multipart.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { app } from "../src/http/app";
import { ask, call, callLocal, type Json } from "./helpers";

type Schema = Record<string, any>;
type Operation = {
  method: string;
  path: string;
  parameters: Schema[];
  body?: { type: string; schema: Schema };
  /** Admin endpoints: without ADMIN_TOKEN they answer only on a loopback host. */
  admin: boolean;
};

const doc = app.getOpenAPI31Document({ openapi: "3.1.0", info: { title: "fuzz", version: "0" } }) as Schema;

function resolve(schema: Schema | undefined): Schema {
  if (!schema) return {};
  if (typeof schema.$ref === "string") return resolve(doc.components.schemas[schema.$ref.split("/").at(-1) ?? ""]);
  return schema;
}

const operations: Operation[] = Object.entries(doc.paths as Record<string, Record<string, Schema>>).flatMap(
  ([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => {
      const [type, media] = Object.entries(operation.requestBody?.content ?? {})[0] ?? [];
      return {
        method: method.toUpperCase(),
        path,
        parameters: operation.parameters ?? [],
        body: type ? { type, schema: resolve((media as Schema).schema) } : undefined,
        admin: Array.isArray(operation.security) && operation.security.length > 0,
      };
    }),
);

const strange = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom("", " ", "\u0000", "\uD800", "\u202E\u200B", "../../etc/passwd", "%00", "a/b", "💥".repeat(3000)),
  fc.constant("x".repeat(70_000)),
);
const wrongType = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.anything(), { maxLength: 3 }),
  fc.object({ maxDepth: 1 }),
);

function schemaValue(input: Schema): fc.Arbitrary<unknown> {
  const schema = resolve(input);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if ("const" in schema) return fc.constant(schema.const);
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return fc.oneof(...variants.map(schemaValue));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "string":
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40) });
    case "integer":
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000 });
    case "number":
      return fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000, noNaN: true });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array":
      return fc.array(schemaValue(schema.items ?? {}), { maxLength: 3 });
    case "object": {
      const properties = Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([name, property]) => [name, schemaValue(property as Schema)]),
      );
      return fc.record(properties, { requiredKeys: schema.required ?? [] });
    }
    default:
      return fc.anything({ maxDepth: 1 });
  }
}

/** A value the schema describes, or one broken in a single way. */
function inputFor(schema: Schema): fc.Arbitrary<unknown> {
  const valid = schemaValue(schema);
  const names = Object.keys(resolve(schema).properties ?? {});
  if (names.length === 0) return fc.oneof(valid, strange, wrongType);
  return fc.oneof(
    valid,
    fc.tuple(valid, fc.constantFrom(...names), fc.oneof(strange, wrongType)).map(([value, name, bad]) => ({
      ...(value as Json),
      [name]: bad,
    })),
    fc.tuple(valid, fc.constantFrom(...names)).map(([value, name]) => {
      const copy = { ...(value as Json) };
      delete copy[name];
      return copy;
    }),
    fc
      .tuple(valid, fc.string({ minLength: 1, maxLength: 10 }), fc.anything({ maxDepth: 1 }))
      .map(([value, name, extra]) => ({ ...(value as Json), [name]: extra })),
    strange,
    wrongType,
  );
}

function jsonBody(schema: Schema): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: inputFor(schema).map((value) => JSON.stringify(value) ?? "") },
    { weight: 1, arbitrary: inputFor(schema).map((value) => (JSON.stringify(value) ?? "{").slice(0, -1)) },
    { weight: 1, arbitrary: fc.constantFrom("", "{", "null", "[]", '{"question": }', "\u0000\u0001", "not json") },
  );
}

function multipartBody(): fc.Arbitrary<{ body: BodyInit; type?: string }> {
  const garbage = fc.string({ unit: "binary", maxLength: 200 });
  return fc.oneof(
    garbage.map((text) => ({ body: text, type: "multipart/form-data; boundary=xyz" })),
    garbage.map((text) => ({
      body: `--xyz\r\nContent-Disposition: form-data; name="file"\r\n\r\n${text}`,
      type: "multipart/form-data; boundary=xyz",
    })),
    fc
      .tuple(
        fc.oneof(strange, fc.constantFrom("a.exe", "b.pdf", ".md", "c.txt")),
        fc.uint8Array({ maxLength: 64 }),
        fc.constantFrom("file", "berkas"),
      )
      .map(([name, bytes, field]) => {
        const form = new FormData();
        // Not a PDF, and text with a NUL byte: never a document the index accepts.
        form.append(field, new File([new Uint8Array([0, ...bytes])], name || "x"));
        return { body: form };
      }),
  );
}

// String() throws for the objects without a prototype that fc.anything() sometimes makes.
const asText = (value: unknown): string =>
  typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));

function parameterValue(parameter: Schema, sessionId: string): fc.Arbitrary<string> {
  const fromSchema = schemaValue(parameter.schema ?? {}).map(asText);
  if (parameter.name === "session_id")
    return fc.oneof(fc.constant(sessionId), fc.constant(sessionId.slice(1)), fromSchema, strange);
  return fc.oneof(
    fromSchema,
    strange,
    wrongType.map((value) => JSON.stringify(value) ?? ""),
  );
}

/** What a rejected request must leave untouched: the session's history, settings, and the files. */
async function snapshot(sessionId: string): Promise<string> {
  const parts = await Promise.all(
    [`/conversation/history/${sessionId}`, `/session/${sessionId}`, "/files"].map(async (path) => {
      const body = (await (await callLocal(path)).json()) as Json;
      if (!Array.isArray(body)) {
        delete body.last_activity; // reading a session extends it
        delete body.expires_at;
      }
      return JSON.stringify(body);
    }),
  );
  return parts.join("\n");
}

describe("every endpoint, fuzzed", () => {
  for (const operation of operations) {
    it(`${operation.method} ${operation.path} never fails with a 500, explains every rejection in JSON, and changes nothing it rejects`, async () => {
      const { session_id: sessionId } = await ask("Apa itu PMB?");
      let before = await snapshot(sessionId);
      const pathParams = operation.parameters.filter((p) => p.in === "path");
      const otherParams = operation.parameters.filter((p) => p.in === "query" || p.in === "header");
      const request = fc.record({
        path: fc.tuple(...pathParams.map((p) => parameterValue(p, sessionId))),
        extra:
          otherParams.length === 0
            ? fc.constant([] as Array<[Schema, string | null]>)
            : fc.array(fc.tuple(fc.constantFrom(...otherParams), fc.option(parameterValue({}, sessionId))), {
                maxLength: 3,
              }),
        body:
          operation.body?.type === "application/json"
            ? jsonBody(operation.body.schema).map(
                (text) => ({ body: text, type: "application/json" }) as { body: BodyInit; type?: string },
              )
            : operation.body
              ? multipartBody()
              : fc.constant(undefined),
        // An admin request may carry a token (ignored without ADMIN_TOKEN) and another site's Origin.
        admin: fc.record({
          authorization: fc.option(
            fc.oneof(
              strange,
              fc.string().map((token) => `Bearer ${token}`),
            ),
          ),
          origin: fc.option(fc.constantFrom("https://evil.example", "null", "http://localhost")),
        }),
        withLength: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      });
      await fc.assert(
        fc.asyncProperty(request, async ({ path, extra, body, admin, withLength }) => {
          let url = operation.path;
          pathParams.forEach((p, i) => {
            url = url.replace(`{${p.name}}`, encodeURIComponent((path[i] ?? "").toWellFormed()) || "%20");
          });
          const query = new URLSearchParams();
          const headers: Record<string, string> = { "cf-connecting-ip": `fuzz-${crypto.randomUUID()}` };
          for (const [parameter, value] of extra) {
            if (value === null) continue;
            if (parameter.in === "query") query.append(parameter.name, value);
            else headers[parameter.name] = value.replace(/[^\t\x20-\x7e]/g, "?");
          }
          if (operation.admin) {
            for (const [name, value] of Object.entries(admin)) {
              if (value !== null) headers[name] = value.replace(/[^\t\x20-\x7e]/g, "?");
            }
          }
          if (body?.type) headers["content-type"] = body.type;
          let sent: BodyInit | undefined = body?.body;
          // Multipart bodies go with their length, as browsers and curl send them.
          if (sent instanceof FormData) {
            const serialized = new Response(sent);
            headers["content-type"] = serialized.headers.get("content-type") ?? "";
            sent = await serialized.arrayBuffer();
          }
          if ((typeof sent === "string" || sent instanceof ArrayBuffer) && withLength) {
            headers["content-length"] = String(new Blob([sent]).size);
          }
          const send = operation.admin ? callLocal : call;
          const res = await send(`${url}${query.size ? `?${query}` : ""}`, {
            method: operation.method,
            headers,
            body: sent,
          });
          const text = await res.text();
          expect(res.status, text).toBeLessThan(500);
          if (res.status >= 400) {
            expect(res.headers.get("content-type")).toMatch(/^application\/json/);
            expect(JSON.parse(text)).toHaveProperty("detail");
            expect(await snapshot(sessionId)).toBe(before);
          } else {
            before = await snapshot(sessionId);
          }
        }),
        { numRuns: 25 },
      );
    });
  }
});
