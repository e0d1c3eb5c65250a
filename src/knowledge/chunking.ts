// Splits a document into overlapping chunks of about CHUNK_SIZE characters,
// cutting on paragraph boundaries first, then sentences, then words, so a
// passage shown to a user reads as whole sentences.
import { sentences } from "./text-analysis";

export const CHUNK_SIZE = 1000;
export const CHUNK_OVERLAP = 200;

export function chunkText(text: string, size = CHUNK_SIZE, overlap = CHUNK_OVERLAP): string[] {
  const units = splitUnits(text, size);
  const chunks: string[] = [];
  let current: string[] = [];
  let length = 0;
  for (const unit of units) {
    if (length + unit.length > size && current.length > 0) {
      chunks.push(current.join("\n"));
      // Carry whole trailing units into the next chunk, up to `overlap` characters.
      const carried: string[] = [];
      let carriedLength = 0;
      for (let i = current.length - 1; i >= 0; i--) {
        const piece = current[i] as string;
        if (carriedLength + piece.length > overlap) break;
        carried.unshift(piece);
        carriedLength += piece.length + 1;
      }
      current = carried;
      length = carriedLength;
    }
    current.push(unit);
    length += unit.length + 1;
  }
  if (current.length > 0) chunks.push(current.join("\n"));
  return chunks;
}

function splitUnits(text: string, size: number): string[] {
  const units: string[] = [];
  for (const paragraph of text.split(/\n\s*\n/)) {
    const trimmed = paragraph.trim();
    if (!trimmed) continue;
    if (trimmed.length <= size) {
      units.push(trimmed);
      continue;
    }
    for (const sentence of sentences(trimmed)) {
      if (sentence.length <= size) units.push(sentence);
      else units.push(...splitWords(sentence, size));
    }
  }
  return units;
}

function splitWords(sentence: string, size: number): string[] {
  const pieces: string[] = [];
  let piece = "";
  for (const word of sentence.split(/\s+/)) {
    if (piece && piece.length + word.length + 1 > size) {
      pieces.push(piece);
      piece = "";
    }
    piece = piece ? `${piece} ${word}` : word.slice(0, size);
  }
  if (piece) pieces.push(piece);
  return pieces;
}
