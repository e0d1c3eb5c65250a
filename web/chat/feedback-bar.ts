// 👍/👎 under a finished answer. A rating is sent the moment it is clicked;
// 👎 then offers an optional comment, sent as the same rating once more (a
// later rating of an exchange replaces the earlier one, so the comment joins it).
import type { Feedback, Rating } from "../../src/http/schemas.ts";
import { button, element } from "../shared/element.ts";

// The server's limit (schemas.ts); the box stops the typing there.
const MAX_COMMENT_CHARS = 500;
let bars = 0;

export type FeedbackBarOptions = {
  /** What the user gave this answer before, as the history has it. */
  recorded: Feedback | null;
  /** Records the rating; rejects with a message to show when it could not. */
  send: (feedback: Feedback) => Promise<void>;
};

export function feedbackBar({ recorded, send }: FeedbackBarOptions): HTMLElement {
  const bar = element("div", "feedback");
  bar.setAttribute("role", "group");
  bar.setAttribute("aria-label", "Nilai jawaban ini");
  const up = button("👍", "rate", "Jawaban membantu");
  const down = button("👎", "rate", "Jawaban tidak membantu");
  // Screen readers hear what became of a rating from here.
  const status = element("span", "status");
  status.setAttribute("role", "status");

  const comment = element("form", "comment");
  comment.hidden = true;
  const box = element("textarea");
  box.id = `comment-${++bars}`;
  box.rows = 2;
  box.maxLength = MAX_COMMENT_CHARS;
  box.placeholder = "Contoh: informasinya sudah tidak berlaku";
  const label = element("label", "", "Apa yang kurang? (opsional)");
  label.htmlFor = box.id;
  const save = element("button", "", "Simpan komentar");
  save.type = "submit";
  comment.append(label, box, save);

  const show = (rating: Rating | null) => {
    up.setAttribute("aria-pressed", String(rating === "up"));
    down.setAttribute("aria-pressed", String(rating === "down"));
  };

  async function rate(feedback: Feedback, done: string): Promise<boolean> {
    for (const control of [up, down, save]) control.disabled = true;
    status.className = "status";
    status.textContent = "Mengirim…";
    try {
      await send(feedback);
      show(feedback.rating);
      status.textContent = done;
      return true;
    } catch (error) {
      status.className = "status error";
      status.textContent = error instanceof Error ? error.message : String(error);
      return false;
    } finally {
      for (const control of [up, down, save]) control.disabled = false;
    }
  }

  up.addEventListener("click", async () => {
    comment.hidden = true;
    await rate({ rating: "up", comment: null }, "Terima kasih, penilaian Anda tercatat.");
  });
  down.addEventListener("click", async () => {
    if (await rate({ rating: "down", comment: null }, "Penilaian tercatat. Ceritakan apa yang kurang, bila mau.")) {
      comment.hidden = false;
      box.focus();
    }
  });
  comment.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = box.value.trim();
    if (!text) return;
    if (await rate({ rating: "down", comment: text }, "Terima kasih, komentar Anda tercatat.")) comment.hidden = true;
  });

  show(recorded?.rating ?? null);
  if (recorded) {
    status.textContent = recorded.comment
      ? `Penilaian Anda tercatat: “${recorded.comment}”`
      : "Penilaian Anda tercatat.";
    box.value = recorded.comment ?? "";
  }
  bar.append(element("span", "prompt", "Membantu?"), up, down, status, comment);
  return bar;
}
