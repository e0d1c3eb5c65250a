// Documents written for the answer tests, about a fictional polytechnic that
// is not in the sample corpus, and a way to add them to the shared knowledge
// base as an upload would be read.
import { env } from "cloudflare:workers";
import { ingestDocument } from "../src/knowledge/document-ingest";
import { documentText } from "../src/knowledge/document-text";
import { sha256Hex } from "../src/sha256";

export async function addDocument(filename: string, content: string | ArrayBuffer): Promise<void> {
  const bytes = typeof content === "string" ? new TextEncoder().encode(content) : new Uint8Array(content);
  const fileHash = await sha256Hex(bytes);
  const text = await documentText(filename, bytes);
  await ingestDocument(env.KNOWLEDGE_BASE.getByName("main"), { filename, text, size: bytes.byteLength, fileHash });
}

export const ADMISSION = `# Penerimaan Politeknik Samudra 2028

Penerimaan Mahasiswa Baru (PMB) Politeknik Samudra adalah seleksi calon mahasiswa program diploma dan sarjana terapan. PMB Politeknik Samudra diselenggarakan oleh Panitia Seleksi di kampus Bitung. Pendaftaran PMB Politeknik Samudra dibuka pada 2 Februari 2028.

## Jalur Reguler

Pendaftaran jalur reguler gelombang 1 ditutup pada 14 Februari 2028. Pendaftaran jalur reguler gelombang 2 ditutup pada 9 Mei 2028.

## Jalur Prestasi Olahraga

### Gelombang 1

Formulir dibuka pada 3 Januari 2028 untuk atlet tingkat provinsi.

### Gelombang 2

Formulir dibuka pada 6 April 2028 untuk atlet tingkat nasional.

## Daftar Ulang

Berkas yang wajib dibawa saat daftar ulang:

- KTP
- Ijazah asli
- Pas foto

## Biaya Seleksi

Biaya pendaftaran jalur reguler sebesar Rp 200.000 dibayar melalui bank mitra pendaftaran. Peserta jalur IUP membayar Rp 1.250.000 untuk pendaftaran.
`;

export const PARTNERSHIP = `# Jalur Kemitraan Politeknik Samudra

## Gelombang 1

Pendaftaran jalur kemitraan gelombang 1 ditutup pada 12 Maret 2028. Pengumuman hasil seleksi gelombang 1 disampaikan pada 2 April 2028.

## Gelombang 2

Pendaftaran jalur kemitraan gelombang 2 ditutup pada 18 Juni 2028. Pengumuman hasil seleksi gelombang 2 disampaikan pada 9 Juli 2028.

## Biaya dan Kuota Program Studi

Biaya kuliah program D4 Teknik Perkapalan adalah Rp 6.000.000 per semester. Kuota program D4 Teknik Perkapalan adalah 35 mahasiswa.

Biaya kuliah program D3 Teknik Mesin Kapal adalah Rp 4.500.000 per semester. Kuota program D3 Teknik Mesin Kapal adalah 60 mahasiswa.

## Cicilan

Biaya kuliah dapat dicicil dua kali setiap semester melalui bagian keuangan.
`;
