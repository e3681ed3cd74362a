// Recheck's service worker. It keeps the app shell (the home page with the check recorder, and
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
    await keepPage(cache, new Request('/'));
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
    if (request.method === 'POST' && url.pathname === '/sign-out') {
      // Pages kept for one person must not be shown to the next on a shared tablet.
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

// Keeps a signed-in page as it came, never a redirect to the sign-in page.
async function keepPage(cache, request, response) {
  try {
    const fresh = response ?? await fetch(request);
    if (fresh.ok && !fresh.redirected) await cache.put(request, fresh);
  } catch (_) {
    // Offline at install: the page is kept on the next visit instead.
  }
}

function isPage(url) {
  return !url.pathname.startsWith('/v/') && !ASSETS.includes(url.pathname);
}

async function forgetPages() {
  const cache = await caches.open(CACHE);
  for (const request of await cache.keys()) {
    if (isPage(new URL(request.url))) await cache.delete(request);
  }
}

// Pages come from the network when it answers, and are kept for when it does not.
async function page(request) {
  const cache = await caches.open(CACHE);
  const network = fetch(request);
  try {
    const response = await Promise.race([
      network,
      new Promise((_, fail) => setTimeout(() => fail(new Error('slow')), NETWORK_WAIT_MS)),
    ]);
    await keepPage(cache, request, response.clone());
    return response;
  } catch (_) {
    const kept = await cache.match(request) ?? await cache.match(request, { ignoreSearch: true });
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
