// The API contract: request and response shapes shared by validation, the
// handlers and the generated OpenAPI document, and (as `z.infer` types) by the
// objects that produce them and the Node clients in scripts/. Field names are
// those of the FastAPI service this replaces; clients depend on them.
import { z } from "@hono/zod-openapi";

export const MAX_QUESTION_CHARS = 4000;
const MAX_COMMENT_CHARS = 500;
export const MAX_FILENAME_CHARS = 255;

// Not length-checked here: any id that was not issued is a 404, not a 422.
const sessionIdParam = z
  .string()
  .openapi({ param: { name: "session_id", in: "path" }, example: "k3Jd0q-7VZbN9wX2cT4yLm8pRs1uAe6H" });

export const SessionParams = z.object({ session_id: sessionIdParam });

export const AskRequest = z
  .object({
    question: z.string().trim().min(1).max(MAX_QUESTION_CHARS).openapi({ example: "Kapan pendaftaran PMB dibuka?" }),
    top_k: z.number().int().min(1).max(10).default(3),
    filename_filter: z.string().max(MAX_FILENAME_CHARS).nullish().default(null),
    stream: z.boolean().default(false),
    session_id: z.string().max(128).nullish().default(null),
  })
  .openapi("AskRequest");
export type AskRequest = z.infer<typeof AskRequest>;

export const ResumeQuery = z.object({
  last_event_id: z.coerce
    .number()
    .int()
    .min(0)
    .max(1_000_000)
    .optional()
    .openapi({ description: "For clients that cannot send the Last-Event-ID header" }),
});

export const ResumeHeaders = z.object({
  "last-event-id": z.coerce
    .number()
    .int()
    .min(0)
    .max(1_000_000)
    .optional()
    .openapi({ description: "The `id` of the last event received; replay starts after it" }),
});

export const Citation = z
  .object({
    filename: z.string(),
    chunk_id: z.string(),
    score: z.number(),
    snippet: z.string(),
  })
  .openapi("Citation");
export type Citation = z.infer<typeof Citation>;

export const AskResponse = z
  .object({
    question: z.string(),
    answer: z.string(),
    sources: z.array(z.string()).openapi({ description: "Filenames, best first, without duplicates" }),
    timestamp: z
      .string()
      .openapi({ description: "ISO 8601 in the configured time zone", example: "2026-11-23T15:04:05.123+08:00" }),
    session_id: z.string(),
    citations: z.array(Citation),
  })
  .openapi("AskResponse");
export type AskResponse = z.infer<typeof AskResponse>;

/**
 * The JSON of each `data:` line of an answer stream (POST /ask with `stream`,
 * GET /ask/stream/{session_id}): `session`, then `content` tokens that add up
 * to the answer, then `source` and `done`; or `error` wherever it fails, with
 * `retry_after` when asking again later can succeed.
 */
export const AnswerEvent = z
  .discriminatedUnion("type", [
    z.object({ type: z.literal("session"), session_id: z.string() }),
    z.object({ type: z.literal("content"), token: z.string() }),
    z.object({ type: z.literal("source"), sources: z.array(z.string()), citations: z.array(Citation) }),
    z.object({ type: z.literal("done") }),
    z.object({
      type: z.literal("error"),
      error: z.string(),
      retry_after: z.number().int().optional().openapi({
        description: "Seconds to wait before asking again; only when that can succeed (the model was busy)",
      }),
    }),
  ])
  .openapi("AnswerEvent");
export type AnswerEvent = z.infer<typeof AnswerEvent>;

export const Rating = z.enum(["up", "down"]).openapi({ description: "👍 or 👎" });
export type Rating = z.infer<typeof Rating>;

export const Feedback = z
  .object({ rating: Rating, comment: z.string().nullable() })
  .openapi("Feedback", { description: "The user's rating of an answer (POST /feedback/{session_id})" });
export type Feedback = z.infer<typeof Feedback>;

export const HistoryItem = z
  .object({
    question: z.string(),
    answer: z.string(),
    sources: z.array(z.string()),
    timestamp: z.string(),
    citations: z.array(Citation),
    complete: z.boolean().openapi({
      description: "False when the answer broke off (the model failed or took too long); `answer` is the part produced",
    }),
    feedback: Feedback.nullable(),
  })
  .openapi("HistoryItem");
export type HistoryItem = z.infer<typeof HistoryItem>;

export const HistoryResponse = z
  .object({
    session_id: z.string(),
    history: z.array(HistoryItem),
    total_exchanges: z.number().int(),
  })
  .openapi("HistoryResponse");
export type HistoryResponse = z.infer<typeof HistoryResponse>;

export const SessionConfig = z.object({ context_window: z.number().int().min(1).max(10) }).openapi("SessionConfig");

export const ConfigResponse = z
  .object({
    status: z.literal("success"),
    message: z.string(),
    data: z.object({ session_id: z.string(), context_window: z.number().int() }),
  })
  .openapi("ConfigResponse");

export const DeleteSessionResponse = z
  .object({
    status: z.literal("success"),
    message: z.string(),
    data: z.object({ session_id: z.string() }),
  })
  .openapi("DeleteSessionResponse");
export type DeleteSessionResponse = z.infer<typeof DeleteSessionResponse>;

export const FeedbackRequest = z
  .object({
    rating: Rating,
    exchange: z
      .number()
      .int()
      .min(0)
      .max(1_000_000)
      .optional()
      .openapi({ description: "0-based index into the session's history; the latest exchange when absent" }),
    comment: z.string().trim().max(MAX_COMMENT_CHARS).nullish().default(null),
  })
  .openapi("FeedbackRequest");

export const FeedbackResponse = z
  .object({
    status: z.literal("success"),
    message: z.string(),
    data: z.object({ session_id: z.string(), exchange: z.number().int(), rating: Rating }),
  })
  .openapi("FeedbackResponse");
export type FeedbackResponse = z.infer<typeof FeedbackResponse>;

export const SessionSummary = z
  .object({
    session_id: z.string(),
    created_at: z.string(),
    last_activity: z.string(),
    expires_at: z.string(),
    total_exchanges: z.number().int(),
  })
  .openapi("SessionSummary");

export const SessionInfoResponse = SessionSummary.extend({
  config: SessionConfig,
  stats: z.object({
    questions_asked: z.number().int(),
    average_answer_ms: z
      .number()
      .nullable()
      .openapi({ description: "Mean time to a complete answer; null before the first" }),
  }),
}).openapi("SessionInfo");
export type SessionInfoResponse = z.infer<typeof SessionInfoResponse>;

export const SessionListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});

export const SessionListResponse = z
  .object({
    status: z.literal("success"),
    message: z.string().openapi({ example: "Found 2 active sessions" }),
    data: z.array(SessionSummary),
    next_cursor: z.string().nullable(),
    total: z.number().int().openapi({ description: "Live sessions in all, on every page" }),
  })
  .openapi("SessionList");
export type SessionListResponse = z.infer<typeof SessionListResponse>;

export const ExportQuery = z.object({ format: z.enum(["json", "markdown"]).default("json") });

export const ExportResponse = z
  .object({
    session_id: z.string(),
    created_at: z.string(),
    exported_at: z.string(),
    config: SessionConfig,
    history: z.array(HistoryItem),
  })
  .openapi("ConversationExport");
export type ExportResponse = z.infer<typeof ExportResponse>;

export const HealthQuery = z.object({
  deep: z
    .enum(["0", "1", "false", "true"])
    .optional()
    .openapi({ description: "1: also check the knowledge base, the vector index and the models (admin)" }),
});

export const HealthCheckResult = z
  .object({ ok: z.boolean(), detail: z.string(), latency_ms: z.number().int() })
  .openapi("HealthCheck");
export type HealthCheckResult = z.infer<typeof HealthCheckResult>;

export const HealthResponse = z
  .object({
    status: z.enum(["healthy", "unhealthy"]).openapi({ description: "`unhealthy` only with deep=1" }),
    version: z.string(),
    mode: z.enum(["embedded", "production"]),
    retriever: z.string(),
    generator: z.string(),
    total_documents: z.number().int().openapi({ description: "Chunks in the knowledge base" }),
    total_files: z.number().int(),
    timezone: z.string(),
    checks: z.record(z.string(), HealthCheckResult).optional().openapi({
      description: "With deep=1: knowledge_base, and in production vector_index, embedding_model, chat_model",
    }),
  })
  .openapi("Health");
export type HealthResponse = z.infer<typeof HealthResponse>;

export const TimezoneResponse = z
  .object({
    timezone: z.string(),
    abbreviation: z.string(),
    utc_offset: z.string(),
    now: z.string(),
    now_utc: z.string(),
  })
  .openapi("Timezone");
export type TimezoneResponse = z.infer<typeof TimezoneResponse>;

export const ErrorResponse = z
  .object({ detail: z.string() })
  .openapi("Error", { description: "Every error that is not a validation error" });

export const ValidationErrorResponse = z
  .object({
    detail: z.array(
      z.object({
        loc: z.array(z.union([z.string(), z.number()])),
        msg: z.string(),
        type: z.string(),
      }),
    ),
  })
  .openapi("ValidationError");

export const UploadForm = z
  .object({
    file: z.any().openapi({ type: "string", format: "binary", description: "A PDF, .txt or .md file" }),
    source_sha256: z
      .string()
      .optional()
      .openapi({
        description:
          "With source_bytes: `file` is UTF-8 text extracted from the original document (say, a PDF) with this SHA-256, " +
          "named as the original; the hash decides whether it was already processed",
      }),
    source_bytes: z.string().optional().openapi({ description: "The original document's size in bytes" }),
  })
  .openapi("UploadForm");

export const UploadResponse = z
  .object({
    status: z.literal("success"),
    message: z.string(),
    data: z.object({
      filename: z.string(),
      size: z.number().int(),
      chunks: z.number().int(),
      file_hash: z.string().openapi({ description: "SHA-256 of the uploaded bytes" }),
      already_processed: z
        .boolean()
        .openapi({ description: "True when this name and content were already indexed; nothing was re-indexed" }),
    }),
  })
  .openapi("UploadResponse");
export type UploadResponse = z.infer<typeof UploadResponse>;

export const StoredFile = z
  .object({
    filename: z.string(),
    size: z.number().int().openapi({ description: "Bytes uploaded" }),
    chunks: z.number().int(),
    file_hash: z.string(),
    upload_date: z.string(),
  })
  .openapi("StoredFile");
export type StoredFile = z.infer<typeof StoredFile>;

export const FilenameParams = z.object({
  filename: z.string().openapi({ param: { name: "filename", in: "path" }, example: "pmb-jadwal.md" }),
});

export const DeleteFileResponse = z
  .object({
    status: z.literal("success"),
    message: z.string(),
    data: z.object({ deleted_chunks: z.number().int() }),
  })
  .openapi("DeleteFileResponse");
export type DeleteFileResponse = z.infer<typeof DeleteFileResponse>;

export const BuildVectorstoreResponse = z
  .object({
    status: z.literal("success"),
    message: z.string(),
    data: z.object({
      total_documents: z.number().int(),
      total_files: z.number().int(),
      rebuilt_chunks: z.number().int().openapi({ description: "Chunks re-embedded so far" }),
      total_chunks: z.number().int(),
      finished: z.boolean().openapi({ description: "False while the rest continues in the background" }),
    }),
  })
  .openapi("BuildVectorstoreResponse");
export type BuildVectorstoreResponse = z.infer<typeof BuildVectorstoreResponse>;

export const SearchQuery = z.object({
  query: z.string().trim().min(1).max(MAX_QUESTION_CHARS),
  top_k: z.coerce.number().int().min(1).max(20).default(5),
  filename_filter: z.string().max(MAX_FILENAME_CHARS).optional(),
});

export const SearchResult = z
  .object({
    doc_id: z.string(),
    filename: z.string(),
    content: z.string().openapi({ description: "The chunk's text, cut to 500 characters" }),
    similarity_score: z.number(),
  })
  .openapi("SearchResult");
export type SearchResult = z.infer<typeof SearchResult>;

export const ClientConfigResponse = z
  .object({
    starter_questions: z
      .array(z.string())
      .openapi({ description: "Questions to suggest before the first one (STARTER_QUESTIONS)" }),
    allowed_link_hosts: z.array(z.string()).openapi({
      description: "Links in answers stay clickable only when they point at these hosts or their subdomains",
      example: ["unm.ac.id"],
    }),
    max_question_chars: z.number().int().openapi({ example: MAX_QUESTION_CHARS }),
  })
  .openapi("ClientConfig");
export type ClientConfigResponse = z.infer<typeof ClientConfigResponse>;

export const InsightsQuery = z.object({
  days: z.coerce
    .number()
    .int()
    .min(1)
    .max(90)
    .default(7)
    .openapi({ description: "How many days back, today included (in TIMEZONE)" }),
});

const count = z.number().int();

export const InsightsResponse = z
  .object({
    period: z.object({
      from: z.string().openapi({ example: "2026-11-17" }),
      to: z.string().openapi({ example: "2026-11-23" }),
      days: count,
    }),
    questions: count.openapi({ description: "Questions asked and answered in full in the period" }),
    answered: count.openapi({ description: "Of those, the ones answered from a relevant passage" }),
    unanswered: z
      .array(z.object({ question: z.string(), count, last_asked: z.string() }))
      .openapi({ description: "Questions the documents had nothing relevant for, most asked first" }),
    top_questions: z.array(z.object({ question: z.string(), count })),
    feedback: z.object({ up: count, down: count }),
    disliked: z
      .array(
        z.object({
          question: z.string(),
          answer_excerpt: z.string().nullable(),
          comment: z.string().nullable().openapi({ description: "The latest comment given" }),
          count,
        }),
      )
      .openapi({ description: "Questions whose answers got 👎, most often first" }),
    top_sources: z.array(z.object({ filename: z.string(), citations: count })),
    latency_ms: z.object({ p50: count.nullable(), p95: count.nullable() }),
    per_day: z.array(z.object({ date: z.string(), questions: count, unanswered: count })),
  })
  .openapi("Insights", {
    description:
      "Questions are grouped whatever their case, spacing and punctuation, and shown as most often spelled; " +
      "each list holds at most 50. Without RECORD_QUESTIONS the question lists are empty and only the counts are kept.",
  });
export type InsightsResponse = z.infer<typeof InsightsResponse>;
