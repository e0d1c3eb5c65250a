// Typed settings read from the Worker's `vars` (all strings). The defaults are
// here and nowhere else: wrangler.toml sets only what differs from them.
// Invalid values fail loudly instead of silently falling back, so a typo in
// wrangler.toml is noticed on the first request.
import { z } from "zod";
import { hostAllowlist } from "./answering/allowed-hosts";
import { EmbeddingModel } from "./workers-ai";

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
    EMBEDDING_MODEL: EmbeddingModel.default("@cf/baai/bge-m3"),
    AI_GATEWAY_ID: z.string().min(1).max(64).optional(),
    RELEVANCE_THRESHOLD: z.coerce.number().min(0).max(1).default(0.45),
    // The share of a question's term weight a keyword hit must cover (see
    // src/knowledge/term-weights.ts); calibrated with `npm run eval`.
    KEYWORD_RELEVANCE_THRESHOLD: z.coerce.number().min(0).max(1).default(0.45),
    SEARCH_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(10),
    // A 10 MB upload needs about half of a Worker's 128 MB while it is read
    // (bench/upload-memory.ts); `npm run ingest` sends a PDF's text instead.
    MAX_UPLOAD_BYTES: z.coerce.number().int().positive().max(100_000_000).default(10_000_000),
    OPENAI_API_BASE: z.url().optional(),
    OPENAI_API_KEY: z.string().optional(),
    LOAD_SAMPLE_CORPUS: flag("true"),
    CORS_ORIGINS: z.string().optional(),
    ADMIN_TOKEN: z
      .string()
      .min(32, "must be at least 32 characters; generate one with `openssl rand -base64 32`")
      // The characters a bearer token may have (RFC 6750); any other could never be sent.
      .regex(/^[A-Za-z0-9._~+/-]+=*$/, "may hold only letters, digits and . _ ~ + / - (and = at the end)")
      .optional(),
    ALLOWED_LINK_HOSTS: z.string().default("").transform(hostAllowlist),
    // "|"-separated, since questions contain commas. Unset, the chat page suggests none.
    STARTER_QUESTIONS: z
      .string()
      .default("")
      .transform((text) =>
        text
          .split("|")
          .map((question) => question.trim())
          .filter(Boolean),
      )
      .pipe(
        z
          .array(z.string().max(200, "each question must be at most 200 characters"))
          .refine((questions) => questions.length === 0 || (questions.length >= 3 && questions.length <= 5), {
            message: "must list 3 to 5 questions separated by |",
          }),
      ),
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
  // A deployed service must say which sites may call it from a browser, and guard its admin endpoints.
  .refine((config) => config.MODE === "embedded" || config.CORS_ORIGINS !== undefined, {
    path: ["CORS_ORIGINS"],
    message: 'must be set in production (a comma-separated list of origins, or "*")',
  })
  .refine((config) => config.MODE === "embedded" || config.ADMIN_TOKEN !== undefined, {
    path: ["ADMIN_TOKEN"],
    message: "must be set in production: npx wrangler secret put ADMIN_TOKEN --env production",
  });

// Without one of these, production would let everything through unlimited.
const RATE_LIMITS = [
  "CLIENT_RATE_LIMIT",
  "SESSION_RATE_LIMIT",
  "NEW_SESSION_RATE_LIMIT",
  "ADMIN_AUTH_RATE_LIMIT",
] as const;

export type Settings = z.infer<typeof settingsSchema>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

const cache = new WeakMap<object, Settings>();
const failures = new WeakMap<object, ConfigError>();

/**
 * Reads and validates the settings once per `env` object. A configuration
 * error is logged once, naming the settings but never their values, and then
 * thrown on every call, so the service refuses to serve until it is fixed.
 */
export function settings(env: Env): Settings {
  const cached = cache.get(env);
  if (cached) return cached;
  const failed = failures.get(env);
  if (failed) throw failed;
  const parsed = settingsSchema.safeParse(blankToUndefined(env));
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  if (parsed.success && parsed.data.MODE === "production") {
    for (const name of RATE_LIMITS) {
      if (env[name] === undefined)
        problems.push(`${name}: must be bound in production ([[env.production.ratelimits]])`);
    }
  }
  if (!parsed.success || problems.length > 0) {
    const error = new ConfigError(`Invalid configuration: ${problems.join("; ")}`);
    console.error(JSON.stringify({ level: "error", error: error.name, message: error.message }));
    failures.set(env, error);
    throw error;
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
