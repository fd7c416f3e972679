// Photos in the browser: read EXIF, shrink to ~2048 px JPEG, check the result, or keep the original.
//
// Orientation is applied exactly once: createImageBitmap(…, {imageOrientation: 'from-image'})
// and <img> both already hand over upright pixels in every current browser, so nothing here
// rotates. Drawing is capped under the iOS canvas limit and the output is checked for the
// all-black/transparent result such a canvas gives; on any failure the original file is sent
// (the server accepts it, HEIC included, and makes its own upright copy).

import type { PhotoFacts } from '@/api/types'
import {
  DEFAULT_LONG_EDGE,
  DEFAULT_QUALITY,
  exifFacts,
  isBlank,
  jpegName,
  needsShrinking,
  stepSizes,
  targetSize,
  type RawExif,
  type Size,
} from './pure'

export interface PreparedPhoto {
  blob: Blob
  fileName: string
  exif: PhotoFacts
  /** False when the original file is sent (already small, undecodable, or shrinking failed). */
  shrunk: boolean
  width: number | null
  height: number | null
}

export async function readExif(file: Blob): Promise<PhotoFacts> {
  try {
    const { default: exifr } = await import('exifr')
    const raw = (await exifr.parse(file, {
      tiff: true,
      exif: true,
      gps: true,
      ifd1: false,
      xmp: false,
      icc: false,
      iptc: false,
      jfif: false,
      ihdr: false,
      pick: ['DateTimeOriginal', 'CreateDate', 'GPSLatitude', 'GPSLatitudeRef', 'GPSLongitude', 'GPSLongitudeRef'],
    })) as RawExif | undefined
    return exifFacts(raw)
  } catch {
    return {} // no EXIF, or a format exifr does not read: nothing to send
  }
}

type Drawable = ImageBitmap | HTMLImageElement

async function decode(file: Blob): Promise<{ source: Drawable; size: Size; release: () => void }> {
  if (typeof createImageBitmap === 'function') {
    try {
      const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' })
      return { source: bitmap, size: { width: bitmap.width, height: bitmap.height }, release: () => bitmap.close() }
    } catch {
      // older Safari: no options argument, or cannot decode this; try an <img>
    }
  }
  const url = URL.createObjectURL(file)
  const img = new Image()
  img.decoding = 'async'
  img.src = url
  try {
    await img.decode()
  } catch (e) {
    URL.revokeObjectURL(url)
    throw e
  }
  return { source: img, size: { width: img.naturalWidth, height: img.naturalHeight }, release: () => URL.revokeObjectURL(url) }
}

function canvasOf(size: Size): { canvas: HTMLCanvasElement; ctx: CanvasRenderingContext2D } {
  const canvas = document.createElement('canvas')
  canvas.width = size.width
  canvas.height = size.height
  const ctx = canvas.getContext('2d')
  if (!ctx) throw new Error('no 2d context')
  ctx.imageSmoothingEnabled = true
  ctx.imageSmoothingQuality = 'high'
  return { canvas, ctx }
}

function looksBlank(canvas: HTMLCanvasElement): boolean {
  const { canvas: probe, ctx } = canvasOf({ width: 16, height: 16 })
  ctx.drawImage(canvas, 0, 0, 16, 16)
  const blank = isBlank(ctx.getImageData(0, 0, 16, 16).data)
  probe.width = probe.height = 0
  return blank
}

function toJpeg(canvas: HTMLCanvasElement, quality: number): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b && b.size > 0 ? resolve(b) : reject(new Error('toBlob failed'))), 'image/jpeg', quality),
  )
}

/** Shrink one photo; never throws: the worst case is the original file. */
export async function preparePhoto(file: File, longEdge = DEFAULT_LONG_EDGE, quality = DEFAULT_QUALITY): Promise<PreparedPhoto> {
  const exif = await readExif(file)
  const original: PreparedPhoto = { blob: file, fileName: file.name || 'photo.jpg', exif, shrunk: false, width: null, height: null }
  let decoded: Awaited<ReturnType<typeof decode>> | null = null
  const canvases: HTMLCanvasElement[] = []
  try {
    decoded = await decode(file)
    const src = decoded.size
    if (!needsShrinking(src, file.size, file.type, longEdge)) return { ...original, width: src.width, height: src.height }
    const target = targetSize(src, longEdge)
    let from: CanvasImageSource = decoded.source
    let fromSize = src
    for (const step of stepSizes(src, target)) {
      const { canvas, ctx } = canvasOf(step)
      ctx.drawImage(from, 0, 0, fromSize.width, fromSize.height, 0, 0, step.width, step.height)
      canvases.push(canvas)
      from = canvas
      fromSize = step
    }
    const last = canvases[canvases.length - 1]
    if (looksBlank(last)) return original
    const blob = await toJpeg(last, quality)
    if (blob.size >= file.size && file.type === 'image/jpeg') return { ...original, width: src.width, height: src.height }
    return { blob, fileName: jpegName(file.name || 'photo'), exif, shrunk: true, width: target.width, height: target.height }
  } catch {
    return original
  } finally {
    decoded?.release()
    for (const c of canvases) c.width = c.height = 0 // give the memory back at once (iOS)
  }
}
