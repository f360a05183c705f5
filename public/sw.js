// civic-kiosk service worker: after one visit the app shell and the data load offline.
// scripts/externalize-loader.mjs fills the three lines below at build time.
self.PRECACHE = [];
self.ON_DEMAND = [];
self.VERSION = 'dev';

const CACHE = `civic-kiosk-${self.VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(self.PRECACHE)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys.filter((k) => k.startsWith('civic-kiosk-') && k !== CACHE).map((k) => caches.delete(k)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

// Pages and data: network first, so an administrator's edit shows at once, the cache when
// offline. Hashed build files never change: cache first.
self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  // The station's API answers live (places left, the day's list): never from a cache.
  if (url.pathname.startsWith('/api/')) return;
  if (request.mode === 'navigate') {
    // Each page as last seen; offline, an address never opened gets the plain app page, which
    // draws it from the kept data files.
    event.respondWith(networkFirst(request, url.pathname, '/shell.html'));
  } else if (url.pathname.startsWith('/data/')) {
    event.respondWith(networkFirst(request, url.pathname));
  } else {
    // Build files are cached first; anything fetched later (fonts, the PDF module) is kept on
    // first use so it works offline from then on.
    event.respondWith(caches.match(request).then((hit) => hit ?? fetchAndKeep(request)));
  }
});

async function fetchAndKeep(request) {
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

async function networkFirst(request, cacheKey, fallbackKey) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(cacheKey, response.clone());
    return response;
  } catch (error) {
    const cached = (await cache.match(cacheKey)) ?? (fallbackKey && (await cache.match(fallbackKey)));
    if (cached) return cached;
    throw error;
  }
}

// Once the app has started, it asks for the files features fetch on demand so that they work
// offline after one visit, not only after first use. A kiosk or a station device keeps them all
// at once ('cache-on-demand'). A phone keeps the small data files ('cache-data'), and the PDF
// module with its fonts (about 1 MB, a citizen's mobile data) only once a form is opened
// ('cache-pdf'); the camera's reader is kept when first used. scripts/budget.mjs counts a
// phone's first visit with the same groups.
const isData = (path) => path.startsWith('/data/');
const isPdf = (path) => path.startsWith('/pdf') || path.startsWith('/fonts/');
self.addEventListener('message', (event) => {
  if (event.data === 'cache-on-demand') event.waitUntil(cacheMissing(self.ON_DEMAND));
  if (event.data === 'cache-data') event.waitUntil(cacheMissing(self.ON_DEMAND.filter(isData)));
  if (event.data === 'cache-pdf') event.waitUntil(cacheMissing(self.ON_DEMAND.filter(isPdf)));
});

async function cacheMissing(paths) {
  const cache = await caches.open(CACHE);
  for (const path of paths) {
    if (await cache.match(path)) continue;
    try {
      const response = await fetch(path);
      if (response.ok) await cache.put(path, response);
    } catch {
      // Offline or refused: tried again at the next visit.
    }
  }
}

// The page asks for this when the citizen presses "Update now" (it has kept what they typed).
self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});
