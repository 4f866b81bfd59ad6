// Klaster Mandiri's service worker, served at /sw.js by kunjungan.views_pwa.service_worker,
// which prepends `self.KM = {...}` (shell URLs, offline page, version).
//
// - /static/: cache first (file names change with their content in production).
// - HTML pages: network first; a good answer is kept, so a page opened with signal (the
//   meeting screen of a kelompok, its roster, the home page) opens again without signal.
// - A meeting form posted while the network fails is queued in IndexedDB (antrian.js) and
//   the browser is sent back to the meeting screen, which shows the queue.
// - Background Sync ("kirim-kunjungan") sends the queue when the connection returns.
/* global KM, Antrian */
"use strict";

importScripts(KM.antrian);

const CACHE_STATIC = "km-static";
const CACHE_HALAMAN = "km-halaman";
const PREFETCH_UMUR_MS = 6 * 60 * 60 * 1000;

function dilewati(url) {
  return KM.jangan.some(function (awal) { return url.pathname.startsWith(awal); });
}

self.addEventListener("install", function (event) {
  event.waitUntil((async function () {
    const cache = await caches.open(CACHE_STATIC);
    // one by one, gently on a weak link; a missing file must not stop the others
    for (const url of KM.shell) {
      await cache.add(new Request(url, { credentials: "same-origin" })).catch(function () {});
    }
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", function (event) {
  event.waitUntil((async function () {
    const nama = await caches.keys();
    await Promise.all(nama.filter(function (n) {
      return n !== CACHE_STATIC && n !== CACHE_HALAMAN;
    }).map(function (n) { return caches.delete(n); }));
    await self.clients.claim();
  })());
});

function halamanLayak(response) {
  const jenis = response.headers.get("Content-Type") || "";
  // a redirect (e.g. to the sign-in page) or an error page is never kept
  return response.ok && !response.redirected && response.type === "basic" &&
    jenis.indexOf("text/html") === 0;
}

async function jaringanDulu(request) {
  try {
    const response = await fetch(request);
    if (halamanLayak(response)) {
      const cache = await caches.open(CACHE_HALAMAN);
      await cache.put(request.url, response.clone());
    }
    return response;
  } catch (galat) {
    const simpanan = await caches.match(request.url, { ignoreVary: true });
    if (simpanan) { return simpanan; }
    const luring = await caches.match(KM.offline, { ignoreVary: true });
    if (luring) { return luring; }
    throw galat;
  }
}

async function cacheDulu(request) {
  const simpanan = await caches.match(request, { ignoreVary: true });
  if (simpanan) { return simpanan; }
  const response = await fetch(request);
  if (response.ok && response.type === "basic") {
    const cache = await caches.open(CACHE_STATIC);
    await cache.put(request, response.clone());
  }
  return response;
}

async function kirimAtauAntri(request) {
  const salinan = request.clone();
  try {
    return await fetch(request);
  } catch (galat) {
    // no network: keep the visit on the device and show the meeting screen again
    const data = await salinan.formData();
    const entri = Antrian.dariFormData(data, new URL(salinan.url));
    await Antrian.simpan(entri);
    if (self.registration.sync) {
      self.registration.sync.register("kirim-kunjungan").catch(function () {});
    }
    return Response.redirect(salinan.url + "#antri=" + encodeURIComponent(entri.uuid), 303);
  }
}

self.addEventListener("fetch", function (event) {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || dilewati(url)) { return; }
  if (request.method === "POST") {
    if (request.mode === "navigate" && url.pathname === KM.rapat) {
      event.respondWith(kirimAtauAntri(request));
    }
    return;
  }
  if (request.method !== "GET") { return; }
  if (url.pathname.startsWith(KM.static)) {
    event.respondWith(cacheDulu(request));
  } else if (request.mode === "navigate" ||
             (request.headers.get("Accept") || "").indexOf("text/html") !== -1) {
    event.respondWith(jaringanDulu(request));
  }
});

async function beritahuHalaman(hasil) {
  const daftar = await self.clients.matchAll({ type: "window" });
  daftar.forEach(function (c) { c.postMessage({ jenis: "antrian-berubah", hasil: hasil }); });
}

// The home page asks for the meeting screens of the facilitator's kelompok to be kept,
// so that a kelompok can be visited offline without having been opened before.
async function simpanHalaman(daftar) {
  const cache = await caches.open(CACHE_HALAMAN);
  for (const alamat of daftar.slice(0, 60)) {
    const url = new URL(alamat, self.location.origin);
    if (url.origin !== self.location.origin || dilewati(url)) { continue; }
    const ada = await cache.match(url.href, { ignoreVary: true });
    const umur = ada ? Date.now() - Date.parse(ada.headers.get("Date") || 0) : Infinity;
    if (umur < PREFETCH_UMUR_MS) { continue; }
    try {
      const response = await fetch(url.href, { credentials: "same-origin" });
      if (halamanLayak(response)) { await cache.put(url.href, response); }
    } catch (galat) {
      return;  // offline again: try next time
    }
  }
}

self.addEventListener("message", function (event) {
  const data = event.data || {};
  if (data.jenis === "simpan-halaman" && Array.isArray(data.url)) {
    event.waitUntil(simpanHalaman(data.url));
  }
});

self.addEventListener("sync", function (event) {
  if (event.tag === "kirim-kunjungan") {
    event.waitUntil(Antrian.kirimSemua({ csrf: KM.csrf }).then(function (hasil) {
      return beritahuHalaman(hasil).then(function () {
        // still no network: let the browser try this sync again later
        if (hasil.galat === "jaringan") { throw new Error("offline"); }
      });
    }));
  }
});
