// The phone survey screen (program:survei_isi): members one after the other; each answer
// goes through the offline queue of visits (static/js/antrian.js, window.Antrian): stored on
// the device under its client uuid, then sent with fetch() when there is signal. The server
// records an answer once per uuid, so a resend never doubles it. Without this file every
// member's form still posts the ordinary way.
//
// Loaded from <head> (deferred, so before antrian.js): it reads a "#ubah=<uuid>" address
// before antrian.js clears it.
(function () {
  "use strict";
  var hashAwal = location.hash;
  var terkirim = {};  // uuid -> member id, answers sent from this page
  var teks = {};
  var bagian = [];
  var posisi = 0;
  var halaman = location.pathname;

  function el(tag, kelas, isi) {
    var e = document.createElement(tag);
    if (kelas) { e.className = kelas; }
    if (isi !== undefined) { e.textContent = isi; }
    return e;
  }

  function uuidBaru() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
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

  function beritahu(isi, kelas) {
    var w = document.getElementById("pemberitahuan-survei");
    w.textContent = "";
    if (!isi) { return; }
    w.appendChild(el("div", "alert " + (kelas || "alert-success"), isi));
  }

  function tunjukkan(i) {
    if (!bagian.length) { return; }
    posisi = Math.max(0, Math.min(i, bagian.length - 1));
    bagian.forEach(function (b, j) { b.hidden = j !== posisi; });
    document.querySelectorAll(".tombol-anggota").forEach(function (t) {
      t.classList.toggle("aktif", t.dataset.mitra === bagian[posisi].dataset.mitra);
    });
  }

  function indeksMitra(mitra) {
    for (var i = 0; i < bagian.length; i += 1) {
      if (bagian[i].dataset.mitra === String(mitra)) { return i; }
    }
    return -1;
  }

  function mitraEntri(entri) {
    var m = "";
    entri.isian.forEach(function (p) { if (p[0] === "mitra") { m = p[1]; } });
    return m;
  }

  function tandai(mitra, status, pesan) {
    var tombol = document.querySelector(".tombol-anggota[data-mitra='" + mitra + "'] .status-anggota");
    if (tombol && tombol.dataset.status !== "sudah") { tombol.dataset.status = status; }
    var i = indeksMitra(mitra);
    if (i < 0) { return; }
    var p = bagian[i].querySelector(".status-kirim");
    if (!p) { return; }
    p.hidden = false;
    p.className = "status-kirim small mb-2 " + (status === "ditolak" ? "text-danger" : "text-success");
    p.textContent = ({ menunggu: teks.tersimpan, terkirim: teks.terkirim, ditolak: teks.ditolak })[status] || "";
    (pesan || []).forEach(function (t) { p.appendChild(el("div", "", t)); });
    var f = bagian[i].querySelector("form");
    if (f && status !== "ditolak") { f.hidden = true; }
  }

  // Each member's state from the queue kept on the device (and what this page sent).
  function segarkan() {
    if (!window.Antrian) { return Promise.resolve(); }
    return window.Antrian.semua().then(function (daftar) {
      var ada = {};
      daftar.forEach(function (e) {
        if (e.url.split("?")[0] !== halaman) { return; }
        var m = mitraEntri(e);
        ada[m] = true;
        tandai(m, e.status, e.status === "ditolak" ? e.pesan : []);
      });
      Object.keys(terkirim).forEach(function (uuid) {
        var m = terkirim[uuid];
        if (!ada[m]) { tandai(m, "terkirim"); }
      });
      return daftar;
    }).catch(function () {});
  }

  function kirim() {
    if (!window.Antrian || !navigator.onLine) { return Promise.resolve(); }
    var skrip = document.querySelector("script[data-csrf]");
    if (!skrip) { return Promise.resolve(); }
    return window.Antrian.kirimSemua({ csrf: skrip.dataset.csrf }).catch(function () {})
      .then(segarkan)
      .then(function () { window.dispatchEvent(new Event("km-antrian")); });
  }

  function simpan(form) {
    var b = form.closest("section");
    var judul = (document.getElementById("survei").dataset.putaran || "") + " · " + b.dataset.nama;
    var entri = window.Antrian.dariFormData(new FormData(form), new URL(location.href), judul);
    return window.Antrian.simpan(entri).then(function () {
      terkirim[entri.uuid] = b.dataset.mitra;
      tandai(b.dataset.mitra, "menunggu");
      beritahu(teks.tersimpan, "alert-success");
      var i = indeksMitra(b.dataset.mitra);
      // the next member not yet done
      for (var j = i + 1; j < bagian.length; j += 1) {
        if (!bagian[j].dataset.sudah && !bagian[j].querySelector("form[hidden]")) { break; }
      }
      tunjukkan(j < bagian.length ? j : i);
      window.scrollTo(0, 0);
      window.dispatchEvent(new Event("km-antrian"));
      return kirim();
    });
  }

  function isiKembali(entri) {
    var i = indeksMitra(mitraEntri(entri));
    if (i < 0) { return; }
    var form = bagian[i].querySelector("form");
    if (!form) { return; }
    form.hidden = false;
    entri.isian.forEach(function (p) {
      var e = form.querySelectorAll("[name='" + p[0] + "']");
      e.forEach(function (x) {
        if (x.type === "radio") { x.checked = x.value === p[1]; } else { x.value = p[1]; }
      });
    });
    terkirim[entri.uuid] = mitraEntri(entri);
    tunjukkan(i);
    beritahu([teks.ubah].concat(entri.pesan || []).join(" "), "alert-warning");
  }

  function ubahDariAlamat(hash) {
    if (hash.indexOf("#ubah=") !== 0 || !window.Antrian) { return; }
    window.Antrian.ambil(decodeURIComponent(hash.slice(6))).then(function (entri) {
      if (entri) { isiKembali(entri); }
    });
  }

  function mulai() {
    var wadah = document.getElementById("survei");
    if (!wadah) { return; }
    teks = (document.getElementById("teks-survei") || {}).dataset || {};
    bagian = Array.prototype.slice.call(wadah.querySelectorAll("section.anggota-survei"));
    bagian.forEach(function (b, i) {
      var nav = b.querySelector(".navigasi-anggota");
      nav.hidden = false;
      nav.querySelector(".sebelumnya").disabled = i === 0;
      nav.querySelector(".berikutnya").disabled = i === bagian.length - 1;
      nav.querySelector(".sebelumnya").addEventListener("click", function () { tunjukkan(i - 1); });
      nav.querySelector(".berikutnya").addEventListener("click", function () { tunjukkan(i + 1); });
      var form = b.querySelector("form");
      if (!form) { return; }
      var uuid = form.querySelector("input[name=uuid]");
      var tanggal = form.querySelector("input[name=tanggal]");
      if (form.dataset.uuidBaru === "1") {
        // a page kept on the device must not hand out the server's uuid twice
        uuid.value = uuidBaru();
        if (tanggal && tanggal.value && tanggal.value < hariIni()) { tanggal.value = hariIni(); }
      }
      form.addEventListener("submit", function (ev) {
        if (!window.Antrian) { return; }  // no queue: the ordinary post
        ev.preventDefault();
        var tombol = form.querySelector("button[type=submit]");
        if (tombol) { tombol.disabled = true; }
        simpan(form).catch(function () { beritahu(teks.gagal, "alert-danger"); }).then(function () {
          if (tombol) { tombol.disabled = false; }
        });
      });
    });
    document.querySelectorAll(".tombol-anggota").forEach(function (t) {
      t.addEventListener("click", function (ev) {
        ev.preventDefault();
        tunjukkan(indeksMitra(t.dataset.mitra));
      });
    });
    var awal = -1;
    if (hashAwal.indexOf("#anggota-") === 0) { awal = indeksMitra(hashAwal.slice(9)); }
    if (awal < 0) {
      awal = bagian.findIndex(function (b) { return !b.dataset.sudah; });
    }
    tunjukkan(awal < 0 ? 0 : awal);
    segarkan().then(function () { ubahDariAlamat(hashAwal); });
    window.addEventListener("hashchange", function () { ubahDariAlamat(location.hash); });
    window.addEventListener("online", function () { window.setTimeout(kirim, 500); });
    // antrian.js sends the queue too (at load, when the signal returns): follow it
    window.setInterval(segarkan, 3000);
  }

  document.addEventListener("DOMContentLoaded", mulai);
}());
