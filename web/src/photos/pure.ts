// The photo shrinker's arithmetic, apart from any browser API so that it can be tested.

import type { PhotoFacts } from '@/api/types'

/** About 16.7 MP is where iOS canvases start coming out black; stay clearly below it. */
export const MAX_CANVAS_PIXELS = 16_000_000
export const DEFAULT_LONG_EDGE = 2048
export const DEFAULT_QUALITY = 0.8

export interface Size {
  width: number
  height: number
}

/** The output size: long edge at most `longEdge`, area under `maxPixels`, never enlarged. */
export function targetSize(src: Size, longEdge = DEFAULT_LONG_EDGE, maxPixels = MAX_CANVAS_PIXELS): Size {
  const { width, height } = src
  if (!(width > 0 && height > 0)) return { width: 0, height: 0 }
  let scale = Math.min(1, longEdge / Math.max(width, height))
  if (width * height * scale * scale > maxPixels) scale = Math.sqrt(maxPixels / (width * height))
  // floor, then make sure rounding never pushes the area back over the cap
  let w = Math.max(1, Math.floor(width * scale))
  let h = Math.max(1, Math.floor(height * scale))
  while (w * h > maxPixels) {
    w = Math.max(1, w - 1)
    h = Math.max(1, Math.floor((w * height) / width))
  }
  return { width: w, height: h }
}

/**
 * The canvases to draw through, largest first, ending with `target`: halving at each step
 * (one big jump looks jagged), every one of them under the canvas pixel cap.
 */
export function stepSizes(src: Size, target: Size, maxPixels = MAX_CANVAS_PIXELS): Size[] {
  const steps: Size[] = []
  let w = src.width
  let h = src.height
  while (w / 2 >= target.width * 1.5 && h / 2 >= target.height * 1.5) {
    w = Math.floor(w / 2)
    h = Math.floor(h / 2)
    if (w * h <= maxPixels) steps.push({ width: w, height: h })
  }
  steps.push({ width: target.width, height: target.height })
  return steps
}

/** Whether the shrunk photo is worth sending as it is rather than the original file. */
export function needsShrinking(src: Size, bytes: number, type: string, longEdge = DEFAULT_LONG_EDGE, maxBytes = 1_500_000): boolean {
  if (type !== 'image/jpeg') return true
  return Math.max(src.width, src.height) > longEdge || bytes > maxBytes
}

/**
 * True when RGBA pixels (as getImageData gives them) look like a failed draw: all
 * transparent, or all (nearly) one flat black. A canvas over the iOS limit gives exactly that.
 */
export function isBlank(rgba: ArrayLike<number>, tolerance = 6): boolean {
  const n = Math.floor(rgba.length / 4)
  if (n === 0) return true
  let transparent = 0
  let black = 0
  for (let i = 0; i < n; i++) {
    const r = rgba[i * 4]
    const g = rgba[i * 4 + 1]
    const b = rgba[i * 4 + 2]
    const a = rgba[i * 4 + 3]
    if (a === 0) transparent++
    else if (r <= tolerance && g <= tolerance && b <= tolerance) black++
  }
  return transparent === n || black + transparent === n
}

/** The name the shrunk file is sent under: the same name, ending in .jpg. */
export function jpegName(name: string): string {
  const base = name.replace(/\.[^./\\]*$/, '') || 'photo'
  return `${base}.jpg`
}

const pad = (n: number) => String(n).padStart(2, '0')

/**
 * EXIF wall-clock time as the server wants it: a naive ISO time. exifr builds its Date from
 * the EXIF fields in the browser's zone, so the local getters give the original digits back.
 */
export function naiveLocalIso(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
}

export interface RawExif {
  DateTimeOriginal?: unknown
  CreateDate?: unknown
  latitude?: unknown
  longitude?: unknown
}

/** The EXIF facts sent beside the file (time taken, GPS), from what exifr parsed. */
export function exifFacts(raw: RawExif | null | undefined): PhotoFacts {
  const facts: PhotoFacts = {}
  if (!raw) return facts
  const taken = raw.DateTimeOriginal ?? raw.CreateDate
  if (taken instanceof Date && !Number.isNaN(taken.getTime())) facts.exif_taken_at = naiveLocalIso(taken)
  const lat = raw.latitude
  const lon = raw.longitude
  if (
    typeof lat === 'number' && typeof lon === 'number' && Number.isFinite(lat) && Number.isFinite(lon) &&
    Math.abs(lat) <= 90 && Math.abs(lon) <= 180 && !(lat === 0 && lon === 0)
  ) {
    facts.exif_lat = Math.round(lat * 1e7) / 1e7
    facts.exif_lon = Math.round(lon * 1e7) / 1e7
  }
  return facts
}
