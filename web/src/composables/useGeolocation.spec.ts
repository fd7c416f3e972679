import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope } from 'vue'
import { classify, pickFix, useGeolocation, type Fix } from './useGeolocation'

function fakeGeo() {
  let success: PositionCallback | null = null
  let failure: PositionErrorCallback | null = null
  const geo = {
    watchPosition: vi.fn((s: PositionCallback, e?: PositionErrorCallback | null, _o?: PositionOptions) => {
      success = s
      failure = e ?? null
      return 7
    }),
    clearWatch: vi.fn(),
    getCurrentPosition: vi.fn(),
  }
  const send = (accuracy: number, at = Date.now(), lat = 26.85, lon = 112.6) =>
    success!({ coords: { latitude: lat, longitude: lon, accuracy }, timestamp: at } as GeolocationPosition)
  const fail = (code: number) => failure!({ code, message: '' } as GeolocationPositionError)
  return { geo: geo as unknown as Geolocation, raw: geo, send, fail }
}

describe('pickFix / classify', () => {
  const f = (accuracy: number, at: number): Fix => ({ lat: 1, lon: 2, accuracy, at })
  it('prefers the more accurate fix while it is fresh, then the newer one', () => {
    expect(pickFix(null, f(50, 0))).toEqual(f(50, 0))
    expect(pickFix(f(10, 0), f(40, 5_000))).toEqual(f(10, 0))
    expect(pickFix(f(10, 0), f(40, 20_000))).toEqual(f(40, 20_000))
    expect(pickFix(f(40, 0), f(10, 1_000))).toEqual(f(10, 1_000))
  })
  it('classifies against the threshold', () => {
    expect(classify(f(30, 0), 30)).toBe('good')
    expect(classify(f(31, 0), 30)).toBe('poor')
    expect(classify(null, 30)).toBeNull()
  })
})

describe('useGeolocation', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('waits for a fix under the threshold; a poor one can be used anyway', () => {
    const g = fakeGeo()
    const scope = effectScope()
    const geo = scope.run(() => useGeolocation({ geolocation: g.geo, thresholdM: 30, immediate: true }))!
    expect(geo.status.value).toBe('locating')
    expect(g.raw.watchPosition.mock.calls[0][2]).toMatchObject({ enableHighAccuracy: true })
    g.send(850)
    expect(geo.status.value).toBe('poor')
    expect(geo.ready.value).toBe(false)
    geo.useAnyway()
    expect(geo.ready.value).toBe(true)
    expect(geo.fix.value?.accuracy).toBe(850) // the poor accuracy is what gets recorded
    g.send(12)
    expect(geo.status.value).toBe('good')
    scope.stop()
    expect(g.raw.clearWatch).toHaveBeenCalledWith(7)
  })

  it('says when it timed out or was denied', () => {
    const g = fakeGeo()
    const scope = effectScope()
    const geo = scope.run(() => useGeolocation({ geolocation: g.geo, timeoutMs: 1000, immediate: true }))!
    vi.advanceTimersByTime(1001)
    expect(geo.status.value).toBe('timeout')
    expect(geo.timedOut.value).toBe(true)
    g.fail(1)
    expect(geo.status.value).toBe('denied')
    scope.stop()
  })

  it('does not prompt on load: waits for a tap unless the permission is already granted', async () => {
    const g = fakeGeo()
    vi.stubGlobal('navigator', { ...navigator, permissions: { query: vi.fn(async () => ({ state: 'prompt' })) } })
    const scope = effectScope()
    const geo = scope.run(() => useGeolocation({ geolocation: g.geo }))!
    await vi.runAllTimersAsync()
    expect(g.raw.watchPosition).not.toHaveBeenCalled()
    expect(geo.status.value).toBe('idle')
    geo.start()
    expect(g.raw.watchPosition).toHaveBeenCalledTimes(1)
    scope.stop()

    vi.stubGlobal('navigator', { ...navigator, permissions: { query: vi.fn(async () => ({ state: 'granted' })) } })
    const g2 = fakeGeo()
    const scope2 = effectScope()
    scope2.run(() => useGeolocation({ geolocation: g2.geo }))
    await vi.waitFor(() => expect(g2.raw.watchPosition).toHaveBeenCalledTimes(1))
    scope2.stop()
    vi.unstubAllGlobals()
  })

  it('reports a missing geolocation API', () => {
    const scope = effectScope()
    const geo = scope.run(() => useGeolocation({ geolocation: null, immediate: true }))!
    expect(geo.status.value).toBe('unavailable')
    scope.stop()
  })
})
