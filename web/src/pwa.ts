// Service worker registration. Updates are offered (a small bar with 更新 / 稍后), never
// forced: the new worker waits until the person says yes. Installed iOS apps do not look for a
// new sw.js on their own, so we ask on start and whenever the app comes back to the front.
import { ref } from 'vue'

export const updateReady = ref(false)
let applyUpdate: ((reload?: boolean) => Promise<void>) | null = null

export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return
  void import('virtual:pwa-register').then(({ registerSW }) => {
    applyUpdate = registerSW({
      immediate: true,
      onNeedRefresh() {
        updateReady.value = true
      },
      onRegisteredSW(_url, registration) {
        if (!registration) return
        // No navigator.onLine gate (it lies): offline, update() just fails quietly.
        const check = () => {
          if (document.visibilityState === 'visible') void registration.update().catch(() => {})
        }
        document.addEventListener('visibilitychange', check)
        window.addEventListener('focus', check)
        window.addEventListener('pageshow', check)
        setInterval(check, 60 * 60 * 1000)
      },
    })
  })
}

export async function acceptUpdate(): Promise<void> {
  updateReady.value = false
  await applyUpdate?.(true)
}

export function postponeUpdate(): void {
  updateReady.value = false
}
