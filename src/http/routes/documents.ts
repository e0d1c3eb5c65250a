// Managing the shared knowledge base: uploads, the file list, deletion,
// rebuilding the vector index, and raw search. Admin-protected.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { HTTPException } from "hono/http-exception";
import { guardLinks } from "../../answering/link-guard";
import { providers } from "../../answering/providers";
import { settings } from "../../config";
import { ingestDocument } from "../../knowledge/document-ingest";
import { knowledgeBase } from "../../knowledge/knowledge-base";
import { adminOnly } from "../admin-auth";
import type { AppEnv } from "../app-env";
import { receiveUpload, uploadLimit } from "../document-upload";
import { errorResponses, jsonResponse } from "../openapi";
import {
  BuildVectorstoreResponse,
  DeleteFileResponse,
  FilenameParams,
  SearchQuery,
  SearchResult,
  StoredFile,
  UploadForm,
  UploadResponse,
} from "../schemas";

const SEARCH_CONTENT_CHARS = 500;
const tags = ["Documents"];
const security = [{ adminToken: [] }];
const middleware = adminOnly;

const uploadRoute = createRoute({
  method: "post",
  path: "/upload",
  tags,
  security,
  middleware: [adminOnly, uploadLimit] as const,
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
  description:
    "Works through the chunks in bounded steps: a few batches at once, the rest in the background. " +
    "While a rebuild is under way, calling this again reports its progress instead of starting over.",
  responses: {
    200: jsonResponse(BuildVectorstoreResponse, "Rebuilt, or rebuilding with its progress"),
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
    // Parsed once already, by the route's validation, within uploadLimit.
    const form = await c.req.parseBody().catch(() => {
      throw new HTTPException(400, { message: "The multipart body could not be parsed" });
    });
    const document = await receiveUpload(form, settings(c.env).MAX_UPLOAD_BYTES);
    const { filename } = document;
    const result = await ingestDocument(knowledgeBase(c.env), document);
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
    const progress = await knowledgeBase(c.env).rebuildVectors();
    if (!progress) {
      return c.json(
        { detail: "There is no vector index in embedded mode (RETRIEVER=keyword); nothing to rebuild" },
        409,
      );
    }
    const message = progress.finished
      ? "Vector index rebuilt from every stored chunk"
      : `Rebuilding the vector index: ${progress.rebuilt_chunks} of ${progress.total_chunks} chunks so far; it continues in the background (POST again to see its progress)`;
    return c.json({ status: "success" as const, message, data: progress }, 200);
  })
  .openapi(searchRoute, async (c) => {
    const { query, top_k, filename_filter } = c.req.valid("query");
    const { retriever } = providers(c.env);
    const allowed = settings(c.env).ALLOWED_LINK_HOSTS;
    const { passages } = await retriever.retrieve({
      text: query,
      topK: top_k,
      filenameFilter: filename_filter ?? null,
    });
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
