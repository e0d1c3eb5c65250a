// The documents tab: upload by drag-and-drop or file picker, each file with
// its own progress and result; the files in the knowledge base, with delete;
// and a search that shows the passages the assistant would read.
import type { StoredFile } from "../../src/http/schemas.ts";
import { announce } from "../shared/announce.ts";
import { byId, element, labelledCell } from "../shared/element.ts";
import type { AdminApi } from "./admin-api.ts";
import { deleteCell } from "./delete-cell.ts";
import { formatBytes, formatCount, formatTime } from "./format.ts";
import { messageOf, showError } from "./status.ts";

export type DocumentsTab = {
  load(): Promise<void>;
  /** Lists `files`, already fetched. */
  show(files: StoredFile[]): void;
  /** Opens the upload area for a document that answers `question`. */
  uploadFor(question: string): void;
};

export function documentsTab(api: () => AdminApi): DocumentsTab {
  const dropZone = byId("drop-zone");
  const pickFiles = byId<HTMLButtonElement>("pick-files");
  const picker = byId<HTMLInputElement>("file-picker");
  const uploads = byId<HTMLUListElement>("uploads");
  const uploadFor = byId("upload-for");
  const list = byId<HTMLTableElement>("document-list");
  const listError = byId("documents-error");
  const emptyList = byId("documents-empty");
  const searchForm = byId<HTMLFormElement>("search-form");
  const searchQuery = byId<HTMLInputElement>("search-query");
  const searchError = byId("search-error");
  const results = byId<HTMLOListElement>("search-results");

  function show(files: StoredFile[]): void {
    showError(listError, null);
    list.tBodies[0]?.replaceChildren(...files.map(fileRow));
    list.hidden = files.length === 0;
    emptyList.hidden = files.length > 0;
  }

  async function load(): Promise<void> {
    try {
      show(await api().files());
    } catch (error) {
      showError(listError, error);
    }
  }

  function fileRow(file: StoredFile): HTMLTableRowElement {
    const row = element("tr");
    const name = element("th", "name", file.filename);
    name.scope = "row";
    const action = deleteCell(
      `Hapus ${file.filename}`,
      `Hapus ${file.filename} dari basis pengetahuan? Asisten tidak akan memakainya lagi untuk menjawab.`,
      async () => {
        await api().deleteFile(file.filename);
        announce(`${file.filename} dihapus.`);
        await load();
      },
      listError,
    );
    row.append(
      name,
      labelledCell("Ukuran", formatBytes(file.size), "number"),
      labelledCell("Potongan", formatCount(file.chunks), "number"),
      labelledCell("Diunggah", formatTime(file.upload_date)),
      action,
    );
    return row;
  }

  // One file after another: the knowledge base indexes them one at a time anyway.
  async function uploadAll(files: readonly File[]): Promise<void> {
    const rows = files.map((file) => {
      const progress = element("progress");
      progress.max = 1;
      progress.value = 0;
      progress.setAttribute("aria-label", `Kemajuan ${file.name}`);
      const status = element("span", "status", "Menunggu…");
      const row = element("li", "upload");
      row.append(element("span", "name", file.name), element("span", "size", formatBytes(file.size)), progress, status);
      return { file, row, progress, status };
    });
    // The latest batch on top, in the order the files were given.
    uploads.prepend(...rows.map(({ row }) => row));
    let indexed = 0;
    for (const { file, row, progress, status } of rows) {
      status.textContent = "Mengunggah…";
      try {
        const { data } = await api().upload(file, (sent) => {
          progress.value = sent;
          if (sent >= 1) status.textContent = "Memproses…";
        });
        progress.value = 1;
        row.classList.add("done");
        status.textContent = data.already_processed
          ? "Sudah pernah diproses; tidak ada yang berubah"
          : `Diproses: ${formatCount(data.chunks)} potongan`;
        indexed++;
      } catch (error) {
        row.classList.add("failed");
        progress.hidden = true;
        status.textContent = `Gagal: ${messageOf(error)}`;
      }
    }
    announce(`${indexed} dari ${rows.length} berkas diunggah.`);
    if (indexed > 0) uploadFor.hidden = true;
    await load();
  }

  // The whole area opens the picker for a mouse; the button is there for the keyboard.
  dropZone.addEventListener("click", () => picker.click());
  picker.addEventListener("change", () => {
    const files = [...(picker.files ?? [])];
    picker.value = "";
    if (files.length > 0) uploadAll(files);
  });
  dropZone.addEventListener("dragover", (event) => {
    event.preventDefault();
    dropZone.classList.add("over");
  });
  dropZone.addEventListener("dragleave", () => dropZone.classList.remove("over"));
  dropZone.addEventListener("drop", (event) => {
    event.preventDefault();
    dropZone.classList.remove("over");
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length > 0) uploadAll(files);
  });

  searchForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const query = searchQuery.value.trim();
    if (!query) return;
    try {
      const hits = await api().search(query);
      showError(searchError, null);
      results.replaceChildren(
        ...hits.map((hit) => {
          const item = element("li", "hit");
          const head = element("p", "from");
          head.append(
            element("strong", "", hit.filename),
            element("span", "score", `skor ${hit.similarity_score.toFixed(3)}`),
          );
          item.append(head, element("p", "content", hit.content));
          return item;
        }),
      );
      if (hits.length === 0) results.append(element("li", "empty", "Tidak ada potongan yang cocok."));
    } catch (error) {
      showError(searchError, error);
    }
  });

  byId("reload-documents").addEventListener("click", () => load());

  return {
    load,
    show,
    uploadFor(question) {
      uploadFor.textContent = `Unggah dokumen yang menjawab: “${question}”`;
      uploadFor.hidden = false;
      dropZone.scrollIntoView({ block: "center" });
      pickFiles.focus();
    },
  };
}
