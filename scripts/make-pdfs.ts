// Remakes the PDFs that are made from committed sources: the sample corpus's
// (src/knowledge/sample-corpus/*.html) and the layout test fixtures
// (test/fixtures/layout/*.html, *.fodt), with LibreOffice Writer headless
// (`soffice`, e.g. Debian's libreoffice-writer-nogui). A new run gives the
// same text; the bytes differ (creation date, document id).
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const FOLDERS = ["src/knowledge/sample-corpus", "test/fixtures/layout"];
const IMPORT_FILTERS: Record<string, string> = { ".html": "HTML (StarWriter)", ".fodt": "OpenDocument Text Flat XML" };

for (const folder of FOLDERS) {
  for (const name of readdirSync(join(root, folder))) {
    const filter = IMPORT_FILTERS[name.slice(name.lastIndexOf("."))];
    if (!filter) continue;
    const source = join(root, folder, name);
    const args = ["--headless", "--convert-to", "pdf:writer_pdf_Export", `--infilter=${filter}`];
    const run = spawnSync("soffice", [...args, "--outdir", join(root, folder), source], { stdio: "inherit" });
    if (run.error || run.status !== 0) {
      console.error(`could not convert ${folder}/${name}: is LibreOffice (soffice) installed?`);
      process.exit(1);
    }
  }
}
