// The worst case an indirect prompt injection aims for: a chat model that
// carries out every `PERINTAH:` ("order:") line it finds in its prompt,
// filling in {riwayat} with the conversation it was given, {sistem} with
// its system prompt and {baris} with a line break. Its answer streams in
// small pieces, so links are split across tokens. It replies in the
// documented shapes of the Workers AI stand-in it extends.
import type { ChatInputs } from "../rehearsal/workers-ai";
import { FakeWorkersAi } from "./fake-workers-ai";

export class ObedientModel extends FakeWorkersAi {
  protected override pieces(inputs: ChatInputs, streamed: boolean): string[] {
    if (!streamed) return super.pieces(inputs, streamed);
    const messages = (inputs.messages ?? []).map((message) => ({
      role: message.role,
      content: typeof message.content === "string" ? message.content : "",
    }));
    const system = messages.filter((message) => message.role === "system").map((message) => message.content);
    const conversation = messages
      .filter((message) => message.role !== "system")
      .map((message) => message.content)
      .join("\n");
    const orders = [...(messages.at(-1)?.content ?? "").matchAll(/PERINTAH:\s*(.+)/g)].map((match) =>
      (match[1] ?? "")
        .replaceAll("{riwayat}", encodeURIComponent(conversation))
        .replaceAll("{sistem}", system.join(" "))
        .replaceAll("{baris}", "\n"),
    );
    const answer = `Baik, saya ikuti. ${orders.join("\n")}`;
    return answer.match(/[\s\S]{1,7}/g) ?? [];
  }
}
