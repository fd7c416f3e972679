import { describe, expect, it } from 'vitest'
import { MAX_CANVAS_PIXELS, exifFacts, isBlank, jpegName, naiveLocalIso, needsShrinking, stepSizes, targetSize } from './pure'

describe('targetSize', () => {
  it('shrinks the long edge to 2048 and keeps the aspect ratio', () => {
    expect(targetSize({ width: 4032, height: 3024 })).toEqual({ width: 2048, height: 1536 })
    expect(targetSize({ width: 3024, height: 4032 })).toEqual({ width: 1536, height: 2048 })
  })
  it('never enlarges a small photo', () => {
    expect(targetSize({ width: 800, height: 600 })).toEqual({ width: 800, height: 600 })
  })
  it('stays under the canvas pixel cap even for a very wide panorama with a large long edge', () => {
    const out = targetSize({ width: 30000, height: 20000 }, 10000)
    expect(out.width * out.height).toBeLessThanOrEqual(MAX_CANVAS_PIXELS)
    expect(out.width / out.height).toBeCloseTo(1.5, 2)
  })
  it('handles degenerate sizes', () => {
    expect(targetSize({ width: 0, height: 100 })).toEqual({ width: 0, height: 0 })
    expect(targetSize({ width: 10000, height: 1 })).toEqual({ width: 2048, height: 1 })
  })
})

describe('stepSizes', () => {
  it('halves in steps and ends exactly on the target', () => {
    const src = { width: 8000, height: 6000 }
    const target = targetSize(src)
    const steps = stepSizes(src, target)
    expect(steps.at(-1)).toEqual(target)
    expect(steps.length).toBeGreaterThan(1)
    for (const s of steps) expect(s.width * s.height).toBeLessThanOrEqual(MAX_CANVAS_PIXELS)
    for (let i = 1; i < steps.length; i++) expect(steps[i].width).toBeLessThan(steps[i - 1].width)
  })
  it('draws once when the photo is close to the target', () => {
    expect(stepSizes({ width: 4032, height: 3024 }, { width: 2048, height: 1536 })).toEqual([{ width: 2048, height: 1536 }])
  })
  it('skips intermediate canvases over the cap (a 50 MP photo)', () => {
    const src = { width: 16000, height: 12000 }
    for (const s of stepSizes(src, targetSize(src))) expect(s.width * s.height).toBeLessThanOrEqual(MAX_CANVAS_PIXELS)
  })
})

describe('isBlank', () => {
  const pixels = (n: number, rgba: [number, number, number, number]) => Array.from({ length: n }, () => rgba).flat()
  it('sees an all-black canvas (the iOS failure) as blank', () => {
    expect(isBlank(pixels(256, [0, 0, 0, 255]))).toBe(true)
  })
  it('sees a transparent canvas as blank', () => {
    expect(isBlank(new Uint8ClampedArray(256 * 4))).toBe(true)
  })
  it('sees a real photo as not blank', () => {
    const data = pixels(255, [0, 0, 0, 255]).concat([120, 90, 60, 255])
    expect(isBlank(data)).toBe(false)
    expect(isBlank(pixels(256, [200, 200, 200, 255]))).toBe(false)
  })
  it('treats an empty sample as blank', () => {
    expect(isBlank([])).toBe(true)
  })
})

describe('exifFacts', () => {
  it('keeps the wall-clock time and the GPS', () => {
    const facts = exifFacts({ DateTimeOriginal: new Date(2026, 10, 22, 9, 5, 7), latitude: 26.8512345678, longitude: 112.6012345678 })
    expect(facts).toEqual({ exif_taken_at: '2026-11-22T09:05:07', exif_lat: 26.8512346, exif_lon: 112.6012346 })
  })
  it('falls back to CreateDate and drops (0,0) and nonsense', () => {
    expect(exifFacts({ CreateDate: new Date(2025, 0, 2, 3, 4, 5), latitude: 0, longitude: 0 })).toEqual({ exif_taken_at: '2025-01-02T03:04:05' })
    expect(exifFacts({ DateTimeOriginal: 'garbage', latitude: 100, longitude: 5 })).toEqual({})
    expect(exifFacts(null)).toEqual({})
  })
  it('formats naive local ISO', () => {
    expect(naiveLocalIso(new Date(2026, 0, 9, 8, 7, 6))).toBe('2026-01-09T08:07:06')
  })
})

describe('jpegName and needsShrinking', () => {
  it('renames to .jpg', () => {
    expect(jpegName('IMG_0001.HEIC')).toBe('IMG_0001.jpg')
    expect(jpegName('photo')).toBe('photo.jpg')
    expect(jpegName('.hidden')).toBe('photo.jpg')
  })
  it('keeps a small JPEG as it is, shrinks everything else', () => {
    expect(needsShrinking({ width: 1600, height: 1200 }, 500_000, 'image/jpeg')).toBe(false)
    expect(needsShrinking({ width: 4032, height: 3024 }, 500_000, 'image/jpeg')).toBe(true)
    expect(needsShrinking({ width: 1600, height: 1200 }, 5_000_000, 'image/jpeg')).toBe(true)
    expect(needsShrinking({ width: 1600, height: 1200 }, 500_000, 'image/png')).toBe(true)
  })
})
