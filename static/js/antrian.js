// The offline queue of visits (issue 9). Loaded by every signed-in page (templates/pwa/
// _antrian.html) and by the service worker (importScripts). Pages work without it.
//
// A meeting form submitted without signal is stored in IndexedDB under its client uuid
// and sent later, oldest first, with fetch() and `X-Requested-With: fetch`; the server
// answers JSON (kunjungan.views) and is idempotent by uuid, so a resend, a double
// send or two tabs never record a visit twice. A visit the server refuses stays on the
// device with the server's message until the facilitator fixes and resends or discards it.
/* global self */
(function (global) {
  "use strict";

  var NAMA_DB = "klaster-mandiri";
  var STORE = "antrian";
  var dbJanji = null;

  function buka() {
    if (dbJanji) { return dbJanji; }
    dbJanji = new Promise(function (ok, gagal) {
      var r = indexedDB.open(NAMA_DB, 1);
      r.onupgradeneeded = function () {
        r.result.createObjectStore(STORE, { keyPath: "uuid" });
      };
      r.onsuccess = function () {
        var db = r.result;
        // signing out deletes the database: let it
        db.onversionchange = function () { db.close(); dbJanji = null; };
        ok(db);
      };
      r.onerror = function () { dbJanji = null; gagal(r.error); };
    });
    return dbJanji;
  }

  function transaksi(mode, kerja) {
    return buka().then(function (db) {
      return new Promise(function (ok, gagal) {
        var t = db.transaction(STORE, mode);
        var r = kerja(t.objectStore(STORE));
        t.oncomplete = function () { ok(r ? r.result : undefined); };
        t.onerror = function () { gagal(t.error); };
        t.onabort = function () { gagal(t.error); };
      });
    });
  }

  function semua() {
    return transaksi("readonly", function (s) { return s.getAll(); }).then(function (d) {
      return (d || []).sort(function (a, b) { return a.dibuat - b.dibuat; });
    });
  }
  function ambil(uuid) { return transaksi("readonly", function (s) { return s.get(uuid); }); }
  function simpan(entri) { return transaksi("readwrite", function (s) { return s.put(entri); }); }
  function hapus(uuid) { return transaksi("readwrite", function (s) { return s.delete(uuid); }); }

  // A form's fields as [name, value] pairs; files (the photo) are not kept offline.
  function dariFormData(data, url, judul) {
    var isian = [];
    var fotoDibuang = false;
    data.forEach(function (nilai, nama) {
      if (nama === "csrfmiddlewaretoken") { return; }
      if (typeof nilai !== "string") {
        if (nilai && nilai.size) { fotoDibuang = true; }
        return;
      }
      isian.push([nama, nilai]);
    });
    var uuid = "";
    var tanggal = "";
    isian.forEach(function (p) {
      if (p[0] === "uuid") { uuid = p[1]; }
      if (p[0] === "tanggal") { tanggal = p[1]; }
    });
    return {
      uuid: uuid,
      url: url.pathname + url.search,
      judul: judul || "",
      tanggal: tanggal,
      dibuat: Date.now(),
      isian: isian,
      fotoDibuang: fotoDibuang,
      status: "menunggu",
      pesan: [],
      galat: {}
    };
  }

  async function tokenBaru(alamat) {
    var r = await fetch(alamat, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!r.ok || (r.headers.get("Content-Type") || "").indexOf("application/json") === -1) {
      return "";
    }
    return (await r.json()).token || "";
  }

  async function kirimInti(opsi) {
    var daftar = (await semua()).filter(function (e) { return e.status === "menunggu"; });
    var hasil = { terkirim: 0, ditolak: 0, galat: "" };
    if (!daftar.length) { return hasil; }
    var token;
    try {
      token = await tokenBaru(opsi.csrf);
    } catch (e) {
      hasil.galat = "jaringan";
      return hasil;
    }
    if (!token) { hasil.galat = "masuk"; return hasil; }
    for (var i = 0; i < daftar.length; i += 1) {
      var entri = daftar[i];
      var data = new FormData();
      entri.isian.forEach(function (p) { data.append(p[0], p[1]); });
      data.append("csrfmiddlewaretoken", token);
      var r;
      try {
        r = await fetch(entri.url, {
          method: "POST",
          body: data,
          credentials: "same-origin",
          headers: { "X-Requested-With": "fetch", Accept: "application/json", "X-CSRFToken": token }
        });
      } catch (e) {
        hasil.galat = "jaringan";
        return hasil;
      }
      var jenis = r.headers.get("Content-Type") || "";
      if (jenis.indexOf("application/json") !== -1) {
        var jawaban = await r.json();
        if (jawaban.ok) {
          await hapus(entri.uuid);
          hasil.terkirim += 1;
          continue;
        }
        entri.pesan = jawaban.pesan || [];
        entri.galat = jawaban.errors || {};
      } else if (r.status >= 500) {
        hasil.galat = "server";
        return hasil;
      } else if (r.status === 403 || r.status === 404 || r.status === 400) {
        // out of scope now, or a role taken away: the facilitator must decide
        entri.pesan = [];
        entri.kode = r.status;
      } else {
        // the sign-in page (session ended): keep everything and stop
        hasil.galat = "masuk";
        return hasil;
      }
      entri.status = "ditolak";
      await simpan(entri);
      hasil.ditolak += 1;
    }
    return hasil;
  }

  // One sender at a time per device (pages and the service worker share the lock).
  function kirimSemua(opsi) {
    if (global.navigator && global.navigator.locks) {
      return global.navigator.locks.request("km-kirim-kunjungan", function () {
        return kirimInti(opsi);
      });
    }
    return kirimInti(opsi);
  }

  function hapusSemua() {
    var tugas = [];
    if (global.caches) {
      tugas.push(caches.keys().then(function (nama) {
        return Promise.all(nama.map(function (n) { return caches.delete(n); }));
      }));
    }
    tugas.push(buka().then(function (db) { db.close(); dbJanji = null; }).catch(function () {})
      .then(function () {
        return new Promise(function (ok) {
          var r = indexedDB.deleteDatabase(NAMA_DB);
          r.onsuccess = r.onerror = r.onblocked = function () { ok(); };
        });
      }));
    return Promise.all(tugas);
  }

  global.Antrian = {
    semua: semua, ambil: ambil, simpan: simpan, hapus: hapus,
    dariFormData: dariFormData, kirimSemua: kirimSemua, hapusSemua: hapusSemua
  };

  if (typeof document === "undefined") { return; }  // in the service worker: done

  // ------------------------------------------------------------------ the page
  var skrip = document.currentScript;
  var alamat = {
    sw: skrip && skrip.dataset.sw,
    csrf: skrip && skrip.dataset.csrf,
    rapat: skrip && skrip.dataset.rapat
  };
  var templat = document.getElementById("teks-antrian");
  var teks = templat ? templat.dataset : {};
  var form = document.getElementById("form-kunjungan");
  var isiUuid = form && form.querySelector("input[name=uuid]");
  var panel = null;
  var statusTeks = "";

  function el(tag, kelas, isi) {
    var e = document.createElement(tag);
    if (kelas) { e.className = kelas; }
    if (isi !== undefined) { e.textContent = isi; }
    return e;
  }

  function uuidBaru() {
    if (global.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    // older browsers: RFC 4122 version 4 from getRandomValues
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); });
    return h.slice(0, 4).join("") + "-" + h.slice(4, 6).join("") + "-" + h.slice(6, 8).join("") +
      "-" + h.slice(8, 10).join("") + "-" + h.slice(10).join("");
  }

  function hariIni() {
    var d = new Date();
    var dua = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + dua(d.getMonth() + 1) + "-" + dua(d.getDate());
  }

  // "2026-12-04" → "4 Desember 2026" in the page's language
  function tanggalTeks(iso) {
    var b = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (!b) { return iso || ""; }
    var d = new Date(Number(b[1]), Number(b[2]) - 1, Number(b[3]));
    try {
      return d.toLocaleDateString(document.documentElement.lang || "id",
        { day: "numeric", month: "long", year: "numeric" });
    } catch (e) { return iso; }
  }

  function perluPanel(jumlah) {
    return jumlah > 0 || form || document.getElementById("kunjungi-minggu-ini") ||
      document.getElementById("halaman-luring");
  }

  function siapkanPanel() {
    if (panel) { return panel; }
    var main = document.querySelector("main");
    if (!main) { return null; }
    panel = el("section", "alert alert-secondary antrian-kunjungan");
    panel.id = "antrian-kunjungan";
    panel.setAttribute("aria-live", "polite");
    var baris = el("div", "d-flex justify-content-between align-items-center gap-2 flex-wrap");
    var kiri = el("div");
    var n = el("strong", "", "0");
    n.id = "jumlah-antrian";
    kiri.appendChild(n);
    kiri.appendChild(document.createTextNode(" " + (teks.menunggu || "")));
    var tolak = el("div", "text-danger fw-semibold", "");
    tolak.id = "ringkas-ditolak";
    tolak.hidden = true;
    kiri.appendChild(tolak);
    var tombol = el("button", "btn btn-primary btn-sm", teks.kirimSekarang || "");
    tombol.type = "button";
    tombol.id = "kirim-antrian";
    tombol.addEventListener("click", function () { kirim(); });
    baris.appendChild(kiri);
    baris.appendChild(tombol);
    panel.appendChild(baris);
    var status = el("div", "small mt-1", "");
    status.id = "status-antrian";
    panel.appendChild(status);
    // what waits on the device: kelompok and date of each visit
    var tunggu = el("ul", "list-unstyled small mb-0 mt-1");
    tunggu.id = "antrian-menunggu";
    panel.appendChild(tunggu);
    var daftar = el("div", "mt-2");
    daftar.id = "kunjungan-tertunda";
    panel.appendChild(daftar);
    // after the page's messages, before its content
    var sesudah = main.querySelectorAll(":scope > .alert");
    var acuan = sesudah.length ? sesudah[sesudah.length - 1].nextSibling : main.firstChild;
    main.insertBefore(panel, acuan);
    return panel;
  }

  function tulisStatus(isi) {
    statusTeks = isi || "";
    var s = document.getElementById("status-antrian");
    if (s) { s.textContent = statusTeks; }
  }

  async function tampilkan() {
    var daftar;
    try { daftar = await semua(); } catch (e) { return; }
    var menunggu = daftar.filter(function (e) { return e.status === "menunggu"; });
    var ditolak = daftar.filter(function (e) { return e.status === "ditolak"; });
    if (!perluPanel(daftar.length) && !panel) { return; }
    var p = siapkanPanel();
    if (!p) { return; }
    // shown only when something waits on the device, or to say what just happened
    p.hidden = !(daftar.length || statusTeks);
    p.className = "alert antrian-kunjungan " + (ditolak.length ? "alert-danger" :
      (menunggu.length ? "alert-warning" : "alert-secondary"));
    document.getElementById("jumlah-antrian").textContent = String(menunggu.length);
    // sending needs signal: the button only when online
    document.getElementById("kirim-antrian").hidden = !menunggu.length || !navigator.onLine;
    var ulTunggu = document.getElementById("antrian-menunggu");
    ulTunggu.textContent = "";
    menunggu.forEach(function (entri) {
      var li = el("li", "kunjungan-menunggu", (entri.judul || entri.url) +
        (entri.tanggal ? " · " + tanggalTeks(entri.tanggal) : ""));
      ulTunggu.appendChild(li);
    });
    var ringkas = document.getElementById("ringkas-ditolak");
    ringkas.hidden = !ditolak.length;
    ringkas.textContent = "";
    if (ditolak.length) {
      var jd = el("span", "", String(ditolak.length));
      jd.id = "jumlah-ditolak";
      ringkas.appendChild(jd);
      ringkas.appendChild(document.createTextNode(" " + (teks.ditolak || "")));
    }
    tulisStatus(statusTeks || (menunggu.length && !navigator.onLine ? teks.luring : ""));
    var wadah = document.getElementById("kunjungan-tertunda");
    wadah.textContent = "";
    if (!ditolak.length) { return; }
    wadah.appendChild(el("h2", "h6 mb-1", teks.judulTertunda || ""));
    var ul = el("ul", "list-unstyled mb-0");
    ditolak.forEach(function (entri) {
      var li = el("li", "kunjungan-tertunda border-top pt-2 mt-2");
      li.dataset.uuid = entri.uuid;
      li.appendChild(el("div", "fw-semibold", (entri.judul || entri.url) +
        (entri.tanggal ? " · " + entri.tanggal : "")));
      var pesan = entri.pesan && entri.pesan.length ? entri.pesan :
        [(teks.ditolakKode || "").replace("%(kode)s", String(entri.kode || "?"))];
      pesan.forEach(function (t) { li.appendChild(el("div", "small pesan-server", t)); });
      var aksi = el("div", "d-flex gap-2 mt-1 flex-wrap");
      [["ubah", teks.ubah, "btn-primary"], ["kirim-ulang", teks.kirimUlang, "btn-outline-primary"],
        ["buang", teks.buang, "btn-outline-danger"]].forEach(function (a) {
        var b = el("button", "btn btn-sm " + a[2], a[1] || a[0]);
        b.type = "button";
        b.dataset.aksi = a[0];
        aksi.appendChild(b);
      });
      li.appendChild(aksi);
      ul.appendChild(li);
    });
    wadah.appendChild(ul);
  }

  async function kirim() {
    if (!navigator.onLine || !alamat.csrf) { tampilkan(); return; }
    var ada = (await semua().catch(function () { return []; })).some(function (e) {
      return e.status === "menunggu";
    });
    if (!ada) { tampilkan(); return; }
    tulisStatus(teks.mengirim);
    var hasil;
    try {
      hasil = await kirimSemua({ csrf: alamat.csrf });
    } catch (e) {
      hasil = { galat: "jaringan", terkirim: 0 };
    }
    laporkan(hasil);
  }

  function laporkan(hasil) {
    if (!hasil) { tampilkan(); return; }
    if (hasil.galat === "masuk") {
      tulisStatus(teks.masuk);
    } else if (hasil.galat) {
      tulisStatus(teks.gagal);
    } else if (hasil.terkirim) {
      tulisStatus(hasil.terkirim + " " + (teks.terkirim || ""));
    } else {
      tulisStatus("");
    }
    tampilkan();
  }

  function mintaSync() {
    if (!("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.ready.then(function (reg) {
      if (reg.sync) { return reg.sync.register("kirim-kunjungan"); }
    }).catch(function () {});
  }

  // ---- the meeting screen
  function segarkanForm() {
    form.reset();
    isiUuid.value = uuidBaru();
    delete form.dataset.ubah;
    var tgl = form.querySelector("input[name=tanggal]");
    if (tgl && tgl.value && tgl.value < hariIni()) { tgl.value = hariIni(); }
    form.querySelectorAll(".is-invalid").forEach(function (e) { e.classList.remove("is-invalid"); });
    form.querySelectorAll(".galat-antrian").forEach(function (e) { e.remove(); });
    var kotak = form.querySelector("input[name=hadir]");
    if (kotak) { kotak.dispatchEvent(new Event("change", { bubbles: true })); }
  }

  function pemberitahuan(isi, kelas) {
    var lama = document.getElementById("pemberitahuan-antrian");
    if (lama) { lama.remove(); }
    var d = el("div", "alert " + (kelas || "alert-success"), isi);
    d.id = "pemberitahuan-antrian";
    d.setAttribute("role", "status");
    form.parentNode.insertBefore(d, form);
  }

  function isiKembali(entri) {
    segarkanForm();
    form.querySelectorAll("input[name=hadir]").forEach(function (k) { k.checked = false; });
    entri.isian.forEach(function (p) {
      var nama = p[0];
      var nilai = p[1];
      if (nama === "hadir") {
        var k = form.querySelector("input[name=hadir][value='" + CSS.escape(nilai) + "']");
        if (k) { k.checked = true; }
        return;
      }
      var e = form.elements.namedItem(nama);
      if (!e || e.type === "file") { return; }
      if (e.type === "checkbox") { e.checked = true; } else { e.value = nilai; }
    });
    isiUuid.value = entri.uuid;
    form.dataset.ubah = entri.uuid;
    Object.keys(entri.galat || {}).forEach(function (nama) {
      var e = form.elements.namedItem(nama);
      if (!e || !e.classList) { return; }
      e.classList.add("is-invalid");
      (entri.galat[nama] || []).forEach(function (g) {
        e.insertAdjacentElement("afterend", el("div", "galat-antrian text-danger small", g.message || g));
      });
    });
    var kotak = form.querySelector("input[name=hadir]");
    if (kotak) { kotak.dispatchEvent(new Event("change", { bubbles: true })); }
    var isi = [teks.sedangUbah || ""].concat(entri.pesan || []);
    pemberitahuan(isi.join(" "), "alert-warning");
    form.scrollIntoView();
  }

  async function antri() {
    var entri = dariFormData(new FormData(form), new URL(location.href),
      document.title.split(" · ")[0]);
    await simpan(entri);
    segarkanForm();
    var isi = teks.tersimpan || "";
    if (entri.fotoDibuang) { isi += " " + (teks.foto || ""); }
    pemberitahuan(isi, "alert-success");
    window.scrollTo(0, 0);
    mintaSync();
    await tampilkan();
    if (navigator.onLine) { await kirim(); }
  }

  if (form && isiUuid) {
    // a page served from the device may be days old: date a fresh form today
    var tanggal = form.querySelector("input[name=tanggal]");
    if (form.dataset.uuidBaru === "1" && tanggal && tanggal.value && tanggal.value < hariIni()) {
      tanggal.value = hariIni();
    }
    var foto = form.querySelector("input[name=foto]");
    var catatanFoto = null;
    if (foto) {
      catatanFoto = el("div", "form-text text-warning-emphasis", teks.fotoLuring || "");
      catatanFoto.id = "catatan-foto-luring";
      foto.insertAdjacentElement("afterend", catatanFoto);
      var aturFoto = function () { catatanFoto.hidden = navigator.onLine; };
      aturFoto();
      window.addEventListener("online", aturFoto);
      window.addEventListener("offline", aturFoto);
    }
    form.addEventListener("submit", function (ev) {
      // with signal a new visit is posted the ordinary way (the server's page shows any
      // error on its row); a failing network is caught by the service worker
      if (navigator.onLine && !form.dataset.ubah) { return; }
      ev.preventDefault();
      var tombol = document.getElementById("kirim");
      antri().catch(function () {
        pemberitahuan(teks.gagal || "", "alert-danger");
      }).then(function () {
        // kunjungan.js disables the button on submit; this page stays, so enable it again
        window.setTimeout(function () { if (tombol) { tombol.disabled = false; } }, 0);
      });
    });
  }

  // Buttons of the refused visits.
  document.addEventListener("click", async function (ev) {
    var b = ev.target.closest && ev.target.closest("#kunjungan-tertunda button[data-aksi]");
    if (!b) { return; }
    var li = b.closest("li[data-uuid]");
    var entri = await ambil(li.dataset.uuid);
    if (!entri) { tampilkan(); return; }
    if (b.dataset.aksi === "ubah") {
      var sini = location.pathname + location.search === entri.url;
      if (form && sini) { isiKembali(entri); } else {
        location.href = entri.url + "#ubah=" + encodeURIComponent(entri.uuid);
      }
    } else if (b.dataset.aksi === "kirim-ulang") {
      entri.status = "menunggu";
      await simpan(entri);
      mintaSync();
      await kirim();
      tampilkan();
    } else if (b.dataset.aksi === "buang") {
      if (window.confirm(teks.buangYakin || "")) {
        await hapus(entri.uuid);
        tampilkan();
      }
    }
  });

  // Signing out: warn about unsent visits, then wipe the pages and the queue kept here.
  var keluar = document.getElementById("form-keluar");
  if (keluar) {
    keluar.addEventListener("submit", function (ev) {
      if (keluar.dataset.bersih === "1") { return; }
      ev.preventDefault();
      semua().catch(function () { return []; }).then(function (daftar) {
        if (daftar.length &&
            !window.confirm((teks.keluarYakin || "").replace("%(n)s", String(daftar.length)))) {
          return;
        }
        return hapusSemua().catch(function () {}).then(function () {
          keluar.dataset.bersih = "1";
          keluar.submit();
        });
      });
    });
  }

  if ("serviceWorker" in navigator && alamat.sw) {
    var dilayaniSw = !!navigator.serviceWorker.controller;
    // after the page's own images and files, so that installing never competes with them
    var daftarkan = function () {
      navigator.serviceWorker.register(alamat.sw, { scope: "/" }).catch(function () {});
    };
    if (document.readyState === "complete") { daftarkan(); } else {
      window.addEventListener("load", daftarkan);
    }
    // the first page of a visit came before the worker: ask it to keep this page too
    if (!dilayaniSw && form) {
      navigator.serviceWorker.ready.then(function (reg) {
        if (reg.active && navigator.onLine) {
          reg.active.postMessage({ jenis: "simpan-halaman", url: [location.pathname + location.search] });
        }
      });
    }
    navigator.serviceWorker.addEventListener("message", function (ev) {
      if (ev.data && ev.data.jenis === "antrian-berubah") { laporkan(ev.data.hasil); }
    });
    // home: keep every kelompok's meeting screen for a visit without signal
    if (document.getElementById("kunjungi-minggu-ini") && alamat.rapat) {
      var tautan = Array.prototype.map.call(
        document.querySelectorAll("a[href^='" + alamat.rapat + "?kelompok=']"),
        function (a) { return a.getAttribute("href"); });
      tautan = tautan.filter(function (u, i) { return tautan.indexOf(u) === i; });
      navigator.serviceWorker.ready.then(function (reg) {
        if (reg.active && navigator.onLine && tautan.length) {
          reg.active.postMessage({ jenis: "simpan-halaman", url: tautan });
        }
      });
    }
  }

  window.addEventListener("online", function () { tampilkan(); kirim(); });
  // another screen on this queue (the survey screen, static/js/survei.js) stored or sent
  // something: show it in the panel
  window.addEventListener("km-antrian", function () { tampilkan(); });
  window.addEventListener("offline", function () { tulisStatus(""); tampilkan(); });

  var hash = location.hash;
  if (hash.indexOf("#antri=") === 0 || hash.indexOf("#ubah=") === 0) {
    // handled once: a reload must not show the notice or refill the form again
    history.replaceState(null, "", location.pathname + location.search);
  }
  tampilkan().then(function () {
    if (form && hash.indexOf("#antri=") === 0) {
      pemberitahuan(teks.tersimpan || "", "alert-success");
    }
    if (form && hash.indexOf("#ubah=") === 0) {
      ambil(decodeURIComponent(hash.slice(6))).then(function (entri) {
        if (entri) { isiKembali(entri); }
      });
    }
    return kirim();
  });
}(typeof window !== "undefined" ? window : self));
