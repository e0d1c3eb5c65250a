// How students write in a chat, which formal Indonesian word lists (the
// `stopword` package's included) do not cover. Unknown to the documents, each
// of these words would otherwise weigh as much as a topic no document
// mentions, and the question would be refused.

/**
 * Particles and fillers ("ya kak", "dong", "sih"), ways to address whoever
 * answers ("min", "gan", "bro"), greetings and thanks, and the informal or
 * abbreviated forms of function words ("gak", "gimana", "yg", "brp"): stop
 * words. Words that can also mean something in a university's documents
 * ("kakak", "ibu", "admin", "malam") are left out.
 */
export const CHAT_WORDS = `ya yaa yah yak dong deh sih nih tuh lho loh mah kok kan toh nah wkwk wkwkwk haha hehe hihi
  hmm eh oh ah kak kk ka kaka min mimin gan agan sis bro bang mas mbak mba pak bu om dek guys bosku halo hai hi hello
  permisi maaf makasih terimakasih thanks thx tq plis pls tanya nanya info gak ga gk nggak ngga engga enggak tdk udah
  udh sdh blm belom gimana gmn gmana bgmn gitu gini knp napa kalo klo kl aja ajah doang emang emg banget bgt yg dgn
  utk sm ama tp krn karna jd jdi trus bs bsa kpn brp dmn dimana ap sy gue gw gua lu lo elu ane mo pengen pengin pingin
  tau sampe dapet dpt`.split(/\s+/);

/**
 * Informal words and chat abbreviations that carry meaning, by the formal
 * words a document would use. A question's word is read so only when the
 * documents do not use it as written.
 */
export const INFORMAL_FORMS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    telat: "terlambat",
    duit: "uang",
    perpus: "perpustakaan",
    maba: "mahasiswa baru",
    mhs: "mahasiswa",
    univ: "universitas",
    fak: "fakultas",
    ortu: "orang tua",
    tgl: "tanggal",
    bln: "bulan",
    thn: "tahun",
    smt: "semester",
    smstr: "semester",
    tlp: "telepon",
    telp: "telepon",
    wa: "whatsapp",
    no: "nomor",
    dftr: "daftar",
    byr: "bayar",
    kelar: "selesai",
    beres: "selesai",
    gede: "besar",
    dikit: "sedikit",
    bener: "benar",
    liat: "lihat",
    pake: "pakai",
    bikin: "membuat",
    abis: "habis",
    cewek: "perempuan",
    cowok: "laki-laki",
  }),
);
