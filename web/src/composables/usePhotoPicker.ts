// Photos chosen for one form: each is shrunk in the background as soon as it is picked,
// with the GPS fix of that moment attached. The same picker serves "before" and "after".
import { computed, onScopeDispose, ref, toRaw } from 'vue'
import type { PhotoFacts, PhotoKind } from '@/api/types'
import type { DraftPhoto } from '@/offline/db'
import { preparePhoto, type PreparedPhoto } from '@/photos/shrink'
import { uuid, type JobPhoto } from '@/submission'
import type { Fix } from './useGeolocation'

export const MAX_PHOTOS = 9

export interface PickedPhoto {
  clientId: string
  name: string
  previewUrl: string
  state: 'processing' | 'ready'
  prepared: PreparedPhoto | null
  fix: Fix | null
  /** The picked file until it is shrunk (kept in the draft meanwhile). */
  file: File | Blob | null
}

export function deviceFacts(fix: Fix | null): PhotoFacts {
  if (!fix) return {}
  return {
    device_lat: Math.round(fix.lat * 1e7) / 1e7,
    device_lon: Math.round(fix.lon * 1e7) / 1e7,
    device_accuracy_m: Math.round(fix.accuracy * 10) / 10,
    device_fix_at: new Date(fix.at).toISOString(),
  }
}

export function usePhotoPicker(max = MAX_PHOTOS, prepare: (f: File) => Promise<PreparedPhoto> = preparePhoto) {
  const photos = ref<PickedPhoto[]>([])
  const processing = computed(() => photos.value.some((p) => p.state === 'processing'))
  const room = computed(() => Math.max(0, max - photos.value.length))

  /** Add picked files (beyond `max` are dropped; returns how many were dropped). */
  function add(files: Iterable<File>, fix: Fix | null): number {
    const list = Array.from(files).filter((f) => f.type.startsWith('image/') || f.type === '' || /\.(heic|heif)$/i.test(f.name))
    const taken = list.slice(0, room.value)
    for (const file of taken) start(uuid(), file, file.name, fix)
    return list.length - taken.length
  }

  function start(clientId: string, file: File, name: string, fix: Fix | null): void {
    const item: PickedPhoto = { clientId, name, previewUrl: URL.createObjectURL(file), state: 'processing', prepared: null, fix, file }
    photos.value.push(item)
    void prepare(file).then((prepared) => {
      const current = photos.value.find((p) => p.clientId === item.clientId)
      if (!current) return // removed meanwhile
      if (prepared.shrunk) {
        URL.revokeObjectURL(current.previewUrl)
        current.previewUrl = URL.createObjectURL(prepared.blob) // a HEIC original may not preview; the JPEG does
      }
      current.prepared = prepared
      current.file = null
      current.state = 'ready'
    })
  }

  /**
   * The photos as a draft keeps them (IndexedDB): shrunk ones, and originals still shrinking.
   * Plain copies: IndexedDB cannot clone Vue's reactive proxies.
   */
  function snapshot(): DraftPhoto[] {
    return photos.value.flatMap((p): DraftPhoto[] => {
      const fix = p.fix ? { lat: p.fix.lat, lon: p.fix.lon, accuracy: p.fix.accuracy, at: p.fix.at } : null
      if (p.state === 'ready' && p.prepared) {
        const { blob, fileName, exif, shrunk } = toRaw(p.prepared)
        return [{ clientId: p.clientId, name: p.name, blob, fileName, exif: { ...exif }, fix, ready: true, shrunk }]
      }
      const file = p.file ? toRaw(p.file) : null
      if (file) return [{ clientId: p.clientId, name: p.name, blob: file, fileName: p.name, exif: {}, fix, ready: false, shrunk: false }]
      return []
    })
  }

  /** Put back the photos of a saved draft (after the page was reloaded), keeping their ids. */
  function restore(saved: DraftPhoto[]): void {
    for (const d of saved.slice(0, room.value)) {
      if (photos.value.some((p) => p.clientId === d.clientId)) continue
      if (!d.ready) {
        start(d.clientId, new File([d.blob], d.fileName, { type: d.blob.type }), d.name, d.fix)
        continue
      }
      photos.value.push({
        clientId: d.clientId,
        name: d.name,
        previewUrl: URL.createObjectURL(d.blob),
        state: 'ready',
        prepared: { blob: d.blob, fileName: d.fileName, exif: d.exif, shrunk: d.shrunk, width: null, height: null },
        fix: d.fix,
        file: null,
      })
    }
  }

  function remove(clientId: string): void {
    const i = photos.value.findIndex((p) => p.clientId === clientId)
    if (i < 0) return
    URL.revokeObjectURL(photos.value[i].previewUrl)
    photos.value.splice(i, 1)
  }

  function clear(): void {
    for (const p of photos.value) URL.revokeObjectURL(p.previewUrl)
    photos.value = []
  }

  /** The photos as the submission module wants them (only those ready). */
  function jobPhotos(kind: PhotoKind): JobPhoto[] {
    return photos.value
      .filter((p) => p.state === 'ready' && p.prepared)
      .map((p) => ({
        clientId: p.clientId,
        kind,
        blob: p.prepared!.blob,
        fileName: p.prepared!.fileName,
        facts: { ...p.prepared!.exif, ...deviceFacts(p.fix) },
      }))
  }

  onScopeDispose(clear)
  return { photos, processing, room, max, add, remove, clear, jobPhotos, snapshot, restore }
}
