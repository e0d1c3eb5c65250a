// The worst case an indirect prompt injection aims for: a chat model that
// carries out every `PERINTAH:` ("order:") line it finds in its prompt,
// filling in {riwayat} with the conversation it was given, {sistem} with
// its system prompt and {baris} with a line break. Its answer streams in
// small pieces, so links are split across tokens.
import { FakeWorkersAi, sseStream } from "./fake-workers-ai";

type Message = { role: string; content: string };

export class ObedientModel extends FakeWorkersAi {
  override async run(model: string, inputs: Record<string, any>): Promise<unknown> {
    if (!inputs.stream) return super.run(model, inputs);
    this.calls.push({ model, inputs });
    const messages: Message[] = inputs.messages;
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
    const pieces = answer.match(/[\s\S]{1,7}/g) ?? [];
    return sseStream([...pieces.map((piece) => JSON.stringify({ response: piece })), "[DONE]"]);
  }
}
