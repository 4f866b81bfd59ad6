// The meeting screen (kunjungan:baru): "semua hadir", attendance count, the
// browser's location, and a fresh client uuid. The form works without this file.
(function () {
  "use strict";
  var form = document.getElementById("form-kunjungan");
  if (!form) { return; }

  // A fresh form gets a fresh uuid made on the device: a page served from a cache (the
  // offline layer) must not reuse the server's. A form sent back with errors keeps its
  // uuid, so a resend stays the same visit.
  var uuid = form.querySelector("input[name=uuid]");
  if (uuid && form.dataset.uuidBaru === "1" && window.crypto && window.crypto.randomUUID) {
    uuid.value = window.crypto.randomUUID();
  }

  var kotak = form.querySelectorAll("input[name=hadir]");
  var jumlah = document.getElementById("jumlah-hadir");
  function hitung() {
    var n = 0;
    kotak.forEach(function (k) { if (k.checked) { n += 1; } });
    if (jumlah) { jumlah.textContent = String(n); }
  }
  form.addEventListener("change", function (e) {
    if (e.target && e.target.name === "hadir") { hitung(); }
  });
  hitung();

  var semua = document.getElementById("semua-hadir");
  if (semua && kotak.length) {
    semua.hidden = false;
    semua.addEventListener("click", function () {
      kotak.forEach(function (k) { k.checked = true; });
      hitung();
    });
  }

  // Location: on the button, or by itself when the user already allowed it.
  var lat = form.querySelector("input[name=lokasi_lat]");
  var lon = form.querySelector("input[name=lokasi_lon]");
  var blok = document.getElementById("lokasi");
  var tombol = document.getElementById("ambil-lokasi");
  var status = document.getElementById("status-lokasi");
  var teks = document.getElementById("teks-lokasi");
  function tulis(kunci) { if (status && teks) { status.textContent = teks.dataset[kunci] || ""; } }
  function ambil() {
    tulis("mencari");
    navigator.geolocation.getCurrentPosition(function (pos) {
      lat.value = pos.coords.latitude.toFixed(6);
      lon.value = pos.coords.longitude.toFixed(6);
      if (status && teks) {
        status.textContent = teks.dataset.ok + " (±" + Math.round(pos.coords.accuracy) + " m)";
      }
    }, function () { tulis("gagal"); }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  }
  if (lat && lon && blok && tombol && "geolocation" in navigator) {
    blok.hidden = false;
    tombol.addEventListener("click", ambil);
    // without asking: only when the user already allowed location for this site
    if (!lat.value && navigator.permissions && navigator.permissions.query) {
      navigator.permissions.query({ name: "geolocation" }).then(function (izin) {
        if (izin.state === "granted") { ambil(); }
      }).catch(function () {});
    }
  }

  // One tap sends once: disable the button while the page is being sent.
  var kirim = document.getElementById("kirim");
  form.addEventListener("submit", function () {
    if (kirim) { window.setTimeout(function () { kirim.disabled = true; }, 0); }
  });
  window.addEventListener("pageshow", function () { if (kirim) { kirim.disabled = false; } });
}());
