/// <reference lib="webworker" />
// The service worker: precache the app shell (the build's files), answer page navigations
// with index.html (never for /api/ or /healthz), and leave every API call to the network.
// A new version waits until the app says SKIP_WAITING (the person tapped 更新).
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching'
import { NavigationRoute, registerRoute } from 'workbox-routing'

declare const self: ServiceWorkerGlobalScope

precacheAndRoute(self.__WB_MANIFEST)
cleanupOutdatedCaches()

registerRoute(
  new NavigationRoute(createHandlerBoundToURL('/index.html'), {
    denylist: [/^\/api\//, /^\/healthz/, /^\/readyz/, /^\/open311\//],
  }),
)
// Nothing else is routed: /api/ requests and signed photo links go straight to the network
// (photo links expire within minutes; the app keeps thumbnail bytes in IndexedDB instead).

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'SKIP_WAITING') void self.skipWaiting()
})

// Background Sync (where the browser has it) is only an extra: the outbox is drained by the
// app itself (src/offline/). The browser wakes us when the network is back; we wake the app.
self.addEventListener('sync', (event: Event) => {
  const e = event as ExtendableEvent & { tag?: string }
  if (e.tag !== 'xuncha-outbox') return
  e.waitUntil(
    self.clients.matchAll({ type: 'window' }).then((clients) => {
      for (const client of clients) client.postMessage({ type: 'xuncha-sync' })
    }),
  )
})
