// Managing the shared knowledge base: uploads, the file list, deletion,
// rebuilding the vector index, and raw search. Admin-protected.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import { HTTPException } from "hono/http-exception";
import { guardLinks } from "../../answering/link-guard";
import { providers } from "../../answering/providers";
import { settings } from "../../config";
import { chunkText } from "../../knowledge/chunking";
import { refuseManyChunks } from "../../knowledge/document-limits";
import { documentText } from "../../knowledge/document-text";
import { knowledgeBase } from "../../knowledge/knowledge-base";
import { sha256Hex } from "../../sha256";
import { adminOnly } from "../admin-auth";
import type { AppEnv } from "../app-env";
import { errorResponses, jsonResponse } from "../openapi";
import {
  BuildVectorstoreResponse,
  DeleteFileResponse,
  FilenameParams,
  MAX_FILENAME_CHARS,
  SearchQuery,
  SearchResult,
  StoredFile,
  UploadForm,
  UploadResponse,
} from "../schemas";

const SEARCH_CONTENT_CHARS = 500;
// Multipart framing around the file itself.
const MULTIPART_OVERHEAD_BYTES = 16 * 1024;
const tags = ["Documents"];
const security = [{ adminToken: [] }];
const middleware = adminOnly;

// Before the body is read at all (validation reads it): without a length, its
// size would be known only once it was all in memory.
const boundedUpload = createMiddleware<AppEnv>(async (c, next) => {
  const limit = settings(c.env).MAX_UPLOAD_BYTES;
  const length = c.req.header("content-length");
  if (length === undefined) {
    throw new HTTPException(411, { message: "Send the upload with a Content-Length header (not chunked)" });
  }
  if (Number(length) > limit + MULTIPART_OVERHEAD_BYTES) throw tooLarge(limit);
  await next();
});

const uploadRoute = createRoute({
  method: "post",
  path: "/upload",
  tags,
  security,
  middleware: [adminOnly, boundedUpload] as const,
  summary: "Upload a PDF, .txt or .md document into the knowledge base",
  description:
    "Same name and content again: nothing is re-indexed. Same name, new content: the old version is replaced atomically. " +
    "In production, answers include the new version within a few seconds: new vectors take that long to become " +
    "searchable, and searches are reused for up to `SEARCH_CACHE_SECONDS`.",
  request: { body: { required: true, content: { "multipart/form-data": { schema: UploadForm } } } },
  responses: {
    200: jsonResponse(UploadResponse, "Indexed, or already indexed"),
    ...errorResponses(401, 403, 411, 413, 415, 422),
  },
});

const filesRoute = createRoute({
  method: "get",
  path: "/files",
  tags,
  security,
  middleware,
  summary: "The documents in the knowledge base",
  responses: { 200: jsonResponse(z.array(StoredFile), "The files"), ...errorResponses(401, 403) },
});

const deleteFileRoute = createRoute({
  method: "delete",
  path: "/files/{filename}",
  tags,
  security,
  middleware,
  summary: "Remove a document from the keyword and vector indexes",
  request: { params: FilenameParams },
  responses: { 200: jsonResponse(DeleteFileResponse, "Removed"), ...errorResponses(401, 403, 404) },
});

const buildRoute = createRoute({
  method: "post",
  path: "/build-vectorstore",
  tags,
  security,
  middleware,
  summary: "Re-embed every stored chunk into the vector index",
  responses: {
    200: jsonResponse(BuildVectorstoreResponse, "Rebuilt"),
    409: jsonResponse(z.object({ detail: z.string() }), "No vector index in this mode"),
    ...errorResponses(401, 403),
  },
});

const searchRoute = createRoute({
  method: "get",
  path: "/search",
  tags,
  security,
  middleware,
  summary: "Search the knowledge base directly",
  request: { query: SearchQuery },
  responses: { 200: jsonResponse(z.array(SearchResult), "Best matches first"), ...errorResponses(401, 403, 422) },
});

export const documentRoutes = new OpenAPIHono<AppEnv>()
  .openapi(uploadRoute, async (c) => {
    const limit = settings(c.env).MAX_UPLOAD_BYTES;
    if (!(c.req.header("content-type") ?? "").toLowerCase().startsWith("multipart/form-data")) {
      throw new HTTPException(415, { message: "Send the file as multipart/form-data in the field `file`" });
    }
    const form = await c.req.parseBody().catch(() => {
      throw new HTTPException(400, { message: "The multipart body could not be parsed" });
    });
    const file = form.file;
    if (!(file instanceof File)) {
      throw new HTTPException(422, { message: "No file: send it in the multipart field `file`" });
    }
    if (file.size > limit) throw tooLarge(limit);
    const filename = cleanFilename(file.name);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const size = bytes.byteLength;
    const fileHash = await sha256Hex(bytes);
    // PDF.js takes ownership of (detaches) the buffer it is given.
    const text = await documentText(filename, bytes.slice());
    refuseManyChunks(chunkText(text).length);
    const result = await knowledgeBase(c.env).ingest({ filename, text, size, fileHash });
    const production = settings(c.env).MODE === "production";
    const message = result.already_processed
      ? `${filename} was already processed; nothing was re-indexed`
      : `${filename} indexed in ${result.chunks} chunks${production ? "; answers include it within a few seconds" : ""}`;
    return c.json({ status: "success" as const, message, data: result }, 200);
  })
  .openapi(filesRoute, async (c) => c.json(await knowledgeBase(c.env).files(), 200))
  .openapi(deleteFileRoute, async (c) => {
    const { filename } = c.req.valid("param");
    const removed = await knowledgeBase(c.env).remove(filename);
    if (!removed) throw new HTTPException(404, { message: `File not found: ${filename}` });
    return c.json({ status: "success" as const, message: `${filename} deleted`, data: removed }, 200);
  })
  .openapi(buildRoute, async (c) => {
    const stats = await knowledgeBase(c.env).rebuildVectors();
    if (!stats) {
      return c.json(
        { detail: "There is no vector index in embedded mode (RETRIEVER=keyword); nothing to rebuild" },
        409,
      );
    }
    return c.json(
      { status: "success" as const, message: "Vector index rebuilt from every stored chunk", data: stats },
      200,
    );
  })
  .openapi(searchRoute, async (c) => {
    const { query, top_k, filename_filter } = c.req.valid("query");
    const { retriever } = providers(c.env);
    const allowed = settings(c.env).ALLOWED_LINK_HOSTS;
    const passages = await retriever.retrieve({ text: query, topK: top_k, filenameFilter: filename_filter ?? null });
    return c.json(
      passages.map((passage) => ({
        doc_id: passage.chunk_id,
        filename: passage.filename,
        content: guardLinks(passage.content.slice(0, SEARCH_CONTENT_CHARS), allowed),
        similarity_score: passage.score,
      })),
      200,
    );
  });

function tooLarge(limit: number): HTTPException {
  return new HTTPException(413, {
    message: `The file is larger than ${limit} bytes (MAX_UPLOAD_BYTES); split it or raise the limit`,
  });
}

// Only the base name is kept, in one Unicode form, without characters that
// show nothing or reorder what is shown: "pmb-jadwal\u200b.md" must not sit
// beside "pmb-jadwal.md" looking the same.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;
const MAX_FILENAME_BYTES = 255;

function cleanFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const cleaned = base.normalize("NFC").replace(INVISIBLE, "").trim();
  if (!cleaned) throw new HTTPException(422, { message: "The uploaded file has no name" });
  if (cleaned.length > MAX_FILENAME_CHARS || new TextEncoder().encode(cleaned).byteLength > MAX_FILENAME_BYTES) {
    throw new HTTPException(422, {
      message: `The file name is longer than ${MAX_FILENAME_CHARS} characters (${MAX_FILENAME_BYTES} bytes in UTF-8)`,
    });
  }
  return cleaned;
}
