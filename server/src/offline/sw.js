// Recheck's service worker. It keeps the app shell (the page with the check recorder, and
// the release's script, wasm and stylesheet) so that checks can be recorded with no connection,
// even after the browser restarts. The server writes the release into RELEASE; a new release is
// a new worker, which waits until the person chooses to reload (the page tells them).
const RELEASE = '__RELEASE__';
const CACHE = `recheck-${RELEASE}`;
const ASSETS = [
  `/v/${RELEASE}/pkg/recheck.js`,
  `/v/${RELEASE}/pkg/recheck.wasm`,
  `/v/${RELEASE}/pkg/recheck.css`,
  '/offline.html',
  '/offline.css',
  '/manifest.webmanifest',
  '/icons/icon.svg',
  '/icons/icon-192.png',
];
// On a connection that hangs rather than fails, a kept page is shown after this long.
const NETWORK_WAIT_MS = 4000;

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(ASSETS);
    await keepPage(cache, new Request(KEPT_PAGE));
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  if (event.data === 'activate') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    if (request.method === 'POST' && (url.pathname === '/sign-out' || url.pathname === '/sign-in')) {
      // The kept recorder is one person's; the next person on a shared tablet gets their own.
      event.waitUntil(forgetPages());
    } else if (request.method === 'GET') {
      event.respondWith(page(request));
    }
    return;
  }
  if (request.method === 'GET' && (url.pathname.startsWith('/v/') || ASSETS.includes(url.pathname))) {
    event.respondWith(asset(request));
  }
});

// Only the recorder's page is kept: other pages hold records that must come from the server,
// which checks who may see them. The server marks it with a header wherever it is served (at
// /record, and as the home page of those who record checks); offline, both paths open it.
const KEPT_PAGE = '/record';
const KEPT_PAGE_HEADER = '__KEPT_PAGE_HEADER__';
const OPENS_KEPT_PAGE = ['/', KEPT_PAGE];

// Keeps the signed-in recorder as it came, never a redirect to the sign-in page or another page.
async function keepPage(cache, request, response) {
  try {
    const fresh = response ?? await fetch(request);
    if (fresh.ok && !fresh.redirected && fresh.headers.get(KEPT_PAGE_HEADER) === 'recorder') {
      await cache.put(KEPT_PAGE, fresh);
    }
  } catch (_) {
    // Offline at install: the page is kept on the next visit instead.
  }
}

// In every release's cache, so that a waiting release forgets too.
async function forgetPages() {
  for (const name of await caches.keys()) {
    await (await caches.open(name)).delete(KEPT_PAGE);
  }
}

// Pages come from the network when it answers, and the recorder is kept for when it does not
// (no answer, a server error, or no answer within NETWORK_WAIT_MS).
async function page(request) {
  const cache = await caches.open(CACHE);
  const opensKept = OPENS_KEPT_PAGE.includes(new URL(request.url).pathname);
  const network = fetch(request);
  try {
    const response = await Promise.race([
      network,
      new Promise((_, fail) => setTimeout(() => fail(new Error('slow')), NETWORK_WAIT_MS)),
    ]);
    if (response.status >= 500) throw new Error('server error');
    if (opensKept) await keepPage(cache, request, response.clone());
    return response;
  } catch (_) {
    const kept = opensKept ? await cache.match(KEPT_PAGE) : undefined;
    if (kept) return kept;
    try {
      return await network;
    } catch (_) {
      return await cache.match('/offline.html');
    }
  }
}

// A release's files never change, so a kept copy is always right.
async function asset(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}
