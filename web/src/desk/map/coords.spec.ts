import { describe, expect, it } from 'vitest'
import { GCJ02, WGS84, bboxFromMap, gcj02ToWgs84, outOfChina, wgs84ToGcj02 } from './coords'

// [wgsLat, wgsLon, gcjLat, gcjLon]: eviltransform's reference points (Shanghai, Shenzhen, Beijing)
// and coordtransform's Tiananmen example.
const REFERENCE: [number, number, number, number][] = [
  [31.1774276, 121.5272106, 31.17530398364597, 121.531541859215],
  [22.543847, 113.912316, 22.540796131694766, 113.9171764808363],
  [39.911954, 116.377817, 39.91334545536069, 116.38404722455657],
  [39.915, 116.404, 39.91640428150164, 116.41024449916938],
]

describe('WGS-84 → GCJ-02', () => {
  it.each(REFERENCE)('shifts %f,%f as the reference implementations do', (lat, lon, gLat, gLon) => {
    const g = wgs84ToGcj02(lat, lon)
    expect(g.lat).toBeCloseTo(gLat, 10)
    expect(g.lon).toBeCloseTo(gLon, 10)
  })

  it('leaves points outside China alone', () => {
    expect(outOfChina(51.5, -0.12)).toBe(true)
    expect(wgs84ToGcj02(51.5, -0.12)).toEqual({ lat: 51.5, lon: -0.12 })
    expect(outOfChina(26.86, 112.6)).toBe(false)
  })

  it('moves a point in 衡阳 by a few hundred metres', () => {
    const g = wgs84ToGcj02(26.86, 112.6)
    const metres = Math.hypot((g.lat - 26.86) * 111_000, (g.lon - 112.6) * 111_000 * Math.cos((26.86 * Math.PI) / 180))
    expect(metres).toBeGreaterThan(200)
    expect(metres).toBeLessThan(800)
  })
})

describe('GCJ-02 → WGS-84', () => {
  it.each(REFERENCE)('brings %f,%f back to within a centimetre', (lat, lon, gLat, gLon) => {
    const w = gcj02ToWgs84(gLat, gLon)
    expect(Math.abs(w.lat - lat)).toBeLessThan(1e-7)
    expect(Math.abs(w.lon - lon)).toBeLessThan(1e-7)
  })
})

describe('viewports', () => {
  it('asks the API for WGS-84 boxes whatever the base map draws in', () => {
    expect(bboxFromMap(WGS84, 112.59, 26.85, 112.62, 26.875)).toEqual([112.59, 26.85, 112.62, 26.875])
    const [w, s, e, n] = bboxFromMap(GCJ02, 112.59, 26.85, 112.62, 26.875)
    // In 衡阳 GCJ-02 draws things ~520 m east and ~400 m south: the WGS-84 box lies west and north.
    expect(w).toBeLessThan(112.59)
    expect(s).toBeGreaterThan(26.85)
    const back = GCJ02.toMap(s, w)
    expect(back.lat).toBeCloseTo(26.85, 4) // the box takes the outermost of the four corners
    expect(back.lon).toBeCloseTo(112.59, 4)
    expect(e - w).toBeCloseTo(0.03, 3)
    expect(n - s).toBeCloseTo(0.025, 3)
  })
})
