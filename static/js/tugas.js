// A background job's page: polls the job's status every second and moves the progress bar;
// when the job has ended, reloads the page once, which then shows the file or the reason.
(function () {
  "use strict";
  const kotak = document.querySelector(".kemajuan-tugas");
  if (!kotak || kotak.dataset.berakhir === "1") { return; }
  const url = kotak.dataset.statusUrl;
  const bar = kotak.querySelector('[data-kemajuan="bar"]');
  const isi = kotak.querySelector('[data-kemajuan="isi"]');
  const label = kotak.querySelector('[data-kemajuan="label"]');
  const tahap = kotak.querySelector('[data-kemajuan="tahap"]');
  const baris = kotak.querySelector('[data-kemajuan="baris"]');
  const format = new Intl.NumberFormat(document.documentElement.lang || "id");
  const teksBaris = kotak.dataset.teksBaris || "%(n)s / %(total)s";
  let gagalBeruntun = 0;

  function tampilkan(s) {
    bar.setAttribute("aria-valuenow", String(s.persen));
    isi.style.width = s.persen + "%";
    isi.textContent = s.persen + "%";
    label.textContent = s.label;
    tahap.textContent = s.tahap ? "· " + s.tahap : "";
    baris.textContent = s.baris_total
      ? "· " + teksBaris.replace("%(n)s", format.format(s.baris_selesai))
        .replace("%(total)s", format.format(s.baris_total))
      : "";
  }

  async function tanya() {
    try {
      const r = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!r.ok) { throw new Error(String(r.status)); }
      const s = await r.json();
      gagalBeruntun = 0;
      tampilkan(s);
      if (s.berakhir) { window.location.reload(); return; }
    } catch (e) {
      gagalBeruntun += 1;  // a weak connection: keep trying, more slowly
    }
    window.setTimeout(tanya, Math.min(1000 * (1 + gagalBeruntun), 10000));
  }
  window.setTimeout(tanya, 1000);
})();
