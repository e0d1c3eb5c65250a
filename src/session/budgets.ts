// What one session may still spend: answers in progress at once, questions
// over its lifetime and answer tokens. Answers in flight count too, with
// every token they may still use reserved, so concurrent questions cannot
// together overspend.
import type { AskFailure } from "../answering/ask-failure";
import type { Settings } from "../config";

type Limits = Pick<
  Settings,
  "MAX_CONCURRENT_ANSWERS" | "MAX_QUESTIONS_PER_SESSION" | "MAX_ANSWER_TOKENS_PER_SESSION" | "MODEL_MAX_TOKENS"
>;
/** What the session has spent on answers already stored. */
type Spent = { total_exchanges: number; total_answer_tokens: number };

export class Budgets {
  #answering = 0;
  #reservedTokens = 0;

  /** Why the session may not start another answer now; null if it may. */
  refusal(spent: Spent, limits: Limits): AskFailure | null {
    if (this.#answering >= limits.MAX_CONCURRENT_ANSWERS) {
      return {
        status: 429,
        detail: `This session is already answering ${limits.MAX_CONCURRENT_ANSWERS} questions; wait for one to finish.`,
        retryAfter: 1,
      };
    }
    if (spent.total_exchanges + this.#answering >= limits.MAX_QUESTIONS_PER_SESSION) {
      return {
        status: 429,
        detail: `This session has reached its limit of ${limits.MAX_QUESTIONS_PER_SESSION} questions. Start a new session to ask more.`,
      };
    }
    if (this.#tokensLeft(spent, limits) <= 0) {
      return { status: 429, detail: "This session has used up its answer budget. Start a new session to ask more." };
    }
    return null;
  }

  /**
   * Counts an answer as in progress and reserves the most tokens it may use:
   * MODEL_MAX_TOKENS, or what the session has left if that is less. `release`
   * gives both back once the answer has ended (and its tokens are spent).
   */
  reserve(spent: Spent, limits: Limits): { maxTokens: number; release: () => void } {
    const maxTokens = Math.min(limits.MODEL_MAX_TOKENS, this.#tokensLeft(spent, limits));
    this.#answering += 1;
    this.#reservedTokens += maxTokens;
    return {
      maxTokens,
      release: () => {
        this.#answering -= 1;
        this.#reservedTokens -= maxTokens;
      },
    };
  }

  #tokensLeft(spent: Spent, limits: Limits): number {
    return limits.MAX_ANSWER_TOKENS_PER_SESSION - spent.total_answer_tokens - this.#reservedTokens;
  }
}
