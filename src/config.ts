// Typed settings read from the Worker's `vars` (all strings). The defaults are
// here and nowhere else: wrangler.toml sets only what differs from them.
// Invalid values fail loudly instead of silently falling back, so a typo in
// wrangler.toml is noticed on the first request.
import { z } from "zod";
import { hostAllowlist } from "./answering/link-guard";

const seconds = (fallback: number) => z.coerce.number().int().positive().max(31_536_000).default(fallback);

const flag = (fallback: "true" | "false") =>
  z
    .enum(["true", "false"])
    .default(fallback)
    .transform((value) => value === "true");

export const settingsSchema = z
  .object({
    MODE: z.enum(["embedded", "production"]).default("embedded"),
    TIMEZONE: z.string().default("Asia/Makassar").refine(isTimeZone, "must be an IANA time zone such as Asia/Jakarta"),
    SESSION_TIMEOUT_SECONDS: seconds(3600),
    SESSION_MAX_LIFETIME_SECONDS: seconds(86_400),
    DEFAULT_CONTEXT_WINDOW: z.coerce.number().int().min(1).max(10).default(3),
    RETRIEVER: z.enum(["keyword", "hybrid"]).default("keyword"),
    GENERATOR: z.enum(["extractive", "workers-ai", "openai"]).default("extractive"),
    MODEL_NAME: z.string().min(1).default("@cf/aisingapore/gemma-sea-lion-v4-27b-it"),
    MODEL_TEMPERATURE: z.coerce.number().min(0).max(2).default(0),
    MODEL_MAX_TOKENS: z.coerce.number().int().min(1).max(8192).default(2048),
    EMBEDDING_MODEL: z.string().min(1).default("@cf/baai/bge-m3"),
    RELEVANCE_THRESHOLD: z.coerce.number().min(0).max(1).default(0.45),
    SEARCH_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(10),
    MAX_UPLOAD_BYTES: z.coerce.number().int().positive().max(100_000_000).default(20_000_000),
    OPENAI_API_BASE: z.url().optional(),
    OPENAI_API_KEY: z.string().optional(),
    LOAD_SAMPLE_CORPUS: flag("true"),
    CORS_ORIGINS: z.string().optional(),
    ADMIN_TOKEN: z.string().optional(),
    ALLOWED_LINK_HOSTS: z.string().default("").transform(hostAllowlist),
    ANSWER_TIMEOUT_SECONDS: z.coerce.number().positive().max(600).default(60),
    // A history read returns every exchange kept, so this bounds each read too.
    MAX_HISTORY: z.coerce.number().int().min(1).max(1000).default(1000),
    MAX_QUESTIONS_PER_SESSION: z.coerce.number().int().min(1).max(1_000_000).default(1000),
    MAX_ANSWER_TOKENS_PER_SESSION: z.coerce.number().int().min(1).max(100_000_000).default(500_000),
    MAX_CONCURRENT_ANSWERS: z.coerce.number().int().min(1).max(100).default(20),
    LOG_QUESTIONS: flag("false"),
    RECORD_QUESTIONS: flag("true"),
    INSIGHTS_RETENTION_DAYS: z.coerce.number().int().min(1).max(365).default(90),
  })
  // A deployed service must say which sites may call it from a browser.
  .refine((config) => config.MODE === "embedded" || config.CORS_ORIGINS !== undefined, {
    path: ["CORS_ORIGINS"],
    message: 'must be set in production (a comma-separated list of origins, or "*")',
  });

export type Settings = z.infer<typeof settingsSchema>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

const cache = new WeakMap<object, Settings>();

/** Reads and validates the settings once per `env` object. */
export function settings(env: Env): Settings {
  const cached = cache.get(env);
  if (cached) return cached;
  const parsed = settingsSchema.safeParse(blankToUndefined(env));
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${fields.join("; ")}`);
  }
  cache.set(env, parsed.data);
  return parsed.data;
}

// `--var NAME:` on the command line yields an empty string; treat it as unset.
function blankToUndefined(env: Env): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const key of Object.keys(settingsSchema.shape)) {
    const value: unknown = Reflect.get(env, key);
    values[key] = value === "" ? undefined : value;
  }
  return values;
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
