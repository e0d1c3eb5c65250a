// The documents embedded mode loads on first start, so a fresh checkout can
// answer questions right away. Markdown files are bundled as text modules
// (see the `[[rules]]` in wrangler.toml).
import beasiswa from "./sample-corpus/beasiswa.md";
import biayaKuliah from "./sample-corpus/biaya-kuliah.md";
import fasilitasKampus from "./sample-corpus/fasilitas-kampus.md";
import peraturanAkademik from "./sample-corpus/peraturan-akademik.md";
import pmbJadwal from "./sample-corpus/pmb-jadwal.md";
import pmbPersyaratan from "./sample-corpus/pmb-persyaratan.md";

export const SAMPLE_CORPUS: ReadonlyArray<{ filename: string; text: string }> = [
  { filename: "pmb-jadwal.md", text: pmbJadwal },
  { filename: "pmb-persyaratan.md", text: pmbPersyaratan },
  { filename: "biaya-kuliah.md", text: biayaKuliah },
  { filename: "beasiswa.md", text: beasiswa },
  { filename: "peraturan-akademik.md", text: peraturanAkademik },
  { filename: "fasilitas-kampus.md", text: fasilitasKampus },
];
