// Hono's view of this Worker: its bindings and the per-request variables.
export type AppEnv = {
  Bindings: Env;
  Variables: {
    requestId: string;
    /** Set by handlers that address a session, so the request log can hash it. */
    sessionId?: string;
    /** Set by POST /ask; logged only when LOG_QUESTIONS=true. */
    question?: string;
  };
};
