// The phone's own GPS fix, watched live (watchPosition): the accuracy is shown to the person,
// a fix counts as good under a threshold (default 30 m), and a poor one can be used anyway.
// EXIF GPS in photos is only a bonus (browsers strip it): this is the location.
import { computed, onScopeDispose, ref, shallowRef } from 'vue'

export interface Fix {
  lat: number
  lon: number
  /** Metres, 95 % radius as the browser reports it. */
  accuracy: number
  /** When the fix was taken (ms since epoch). */
  at: number
}

export type GeoStatus = 'idle' | 'locating' | 'good' | 'poor' | 'timeout' | 'denied' | 'unavailable'

export const DEFAULT_THRESHOLD_M = 30
export const DEFAULT_TIMEOUT_MS = 30_000
/** A better-accuracy fix older than this gives way to a newer, worse one (the person moved). */
export const FIX_MAX_AGE_MS = 15_000

/** Which fix to keep: the newer one unless the kept one is more accurate and still fresh. */
export function pickFix(kept: Fix | null, next: Fix): Fix {
  if (!kept) return next
  if (next.accuracy <= kept.accuracy) return next
  return next.at - kept.at > FIX_MAX_AGE_MS ? next : kept
}

export function classify(fix: Fix | null, thresholdM: number): 'good' | 'poor' | null {
  if (!fix) return null
  return fix.accuracy <= thresholdM ? 'good' : 'poor'
}

/** Whether the page may read the location without a prompt (false when unknown). */
export async function permissionGranted(): Promise<boolean> {
  try {
    const result = await navigator.permissions?.query({ name: 'geolocation' })
    return result?.state === 'granted'
  } catch {
    return false
  }
}

export interface GeolocationOptions {
  thresholdM?: number
  timeoutMs?: number
  geolocation?: Geolocation | null
  /**
   * true: start watching at once; 'if-granted' (default): at once only when the permission is
   * already granted, else wait for start() from a tap, so the browser never prompts on load.
   */
  immediate?: boolean | 'if-granted'
}

export function useGeolocation(options: GeolocationOptions = {}) {
  const thresholdM = options.thresholdM ?? DEFAULT_THRESHOLD_M
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const geo = options.geolocation !== undefined ? options.geolocation : typeof navigator !== 'undefined' ? navigator.geolocation : null

  const fix = shallowRef<Fix | null>(null)
  const status = ref<GeoStatus>('idle')
  /** The person chose to go on with a fix worse than the threshold. */
  const usedAnyway = ref(false)
  /** The timeout passed without reaching the threshold. */
  const timedOut = ref(false)
  let watchId: number | null = null
  let timer: ReturnType<typeof setTimeout> | null = null

  const ready = computed(() => fix.value !== null && (fix.value.accuracy <= thresholdM || usedAnyway.value))

  function onPosition(pos: GeolocationPosition): void {
    const next: Fix = {
      lat: pos.coords.latitude,
      lon: pos.coords.longitude,
      accuracy: pos.coords.accuracy,
      at: pos.timestamp || Date.now(),
    }
    fix.value = pickFix(fix.value, next)
    status.value = classify(fix.value, thresholdM) ?? 'locating'
  }

  function onError(err: GeolocationPositionError): void {
    if (err.code === 1) {
      status.value = 'denied'
      stop()
    } else if (!fix.value) {
      status.value = err.code === 3 ? 'timeout' : 'unavailable'
    }
    // with a fix already, a later hiccup changes nothing: the watch goes on
  }

  function start(): void {
    stop()
    timedOut.value = false
    if (!geo) {
      status.value = 'unavailable'
      return
    }
    status.value = fix.value ? (classify(fix.value, thresholdM) as GeoStatus) : 'locating'
    watchId = geo.watchPosition(onPosition, onError, { enableHighAccuracy: true, maximumAge: 0, timeout: timeoutMs })
    timer = setTimeout(() => {
      if (!ready.value) {
        timedOut.value = true
        if (!fix.value && status.value === 'locating') status.value = 'timeout'
      }
    }, timeoutMs)
  }

  function stop(): void {
    if (watchId !== null && geo) geo.clearWatch(watchId)
    watchId = null
    if (timer) clearTimeout(timer)
    timer = null
  }

  function useAnyway(): void {
    if (fix.value) usedAnyway.value = true
  }

  function retry(): void {
    usedAnyway.value = false
    fix.value = null
    start()
  }

  let disposed = false
  onScopeDispose(() => {
    disposed = true
    stop()
  })
  const immediate = options.immediate ?? 'if-granted'
  if (immediate === true) start()
  else if (immediate === 'if-granted') {
    void permissionGranted().then((granted) => {
      if (granted && !disposed && status.value === 'idle') start()
    })
  }

  return { fix, status, ready, usedAnyway, timedOut, thresholdM, start, stop, retry, useAnyway }
}
