import { describe, expect, it, vi } from 'vitest'
import { effectScope, isProxy, nextTick } from 'vue'
import type { PreparedPhoto } from '@/photos/shrink'
import { deviceFacts, usePhotoPicker } from './usePhotoPicker'

const file = (name: string) => new File([new Uint8Array(10)], name, { type: 'image/jpeg' })

describe('usePhotoPicker', () => {
  it('shrinks in the background and hands ready photos to the submission with the fix of that moment', async () => {
    let finish!: (p: PreparedPhoto) => void
    const prepare = vi.fn(
      (f: File) =>
        new Promise<PreparedPhoto>((r) => {
          finish = r
          void f
        }),
    )
    const scope = effectScope()
    const picker = scope.run(() => usePhotoPicker(2, prepare))!
    const fix = { lat: 26.861234567, lon: 112.603512345, accuracy: 8.44, at: Date.parse('2026-11-22T08:00:00Z') }
    const dropped = picker.add([file('a.jpg'), file('b.jpg'), file('c.jpg')], fix)
    expect(dropped).toBe(1)
    expect(picker.photos.value).toHaveLength(2)
    expect(picker.processing.value).toBe(true)
    expect(picker.jobPhotos('before')).toEqual([]) // nothing half-done is sent

    const blob = new Blob(['jpeg'], { type: 'image/jpeg' })
    finish({ blob, fileName: 'b.jpg', exif: { exif_taken_at: '2026-11-22T16:00:00' }, shrunk: false, width: 1, height: 1 })
    await nextTick()
    await Promise.resolve()
    const ready = picker.jobPhotos('before')
    expect(ready).toHaveLength(1)
    expect(ready[0]).toMatchObject({
      kind: 'before',
      fileName: 'b.jpg',
      facts: { exif_taken_at: '2026-11-22T16:00:00', device_lat: 26.8612346, device_lon: 112.6035123, device_accuracy_m: 8.4, device_fix_at: '2026-11-22T08:00:00.000Z' },
    })
    picker.remove(picker.photos.value[0].clientId)
    expect(picker.photos.value).toHaveLength(1)
    scope.stop()
    expect(picker.photos.value).toHaveLength(0)
  })

  it('sends no device facts without a fix', () => {
    expect(deviceFacts(null)).toEqual({})
  })

  it('gives its photos to a draft and takes them back after a reload, ids kept', async () => {
    const prepare = vi.fn(async (f: File) => ({ blob: new Blob(['small'], { type: 'image/jpeg' }), fileName: f.name, exif: { exif_taken_at: '2026-11-22T16:00:00' }, shrunk: true, width: 1, height: 1 }))
    const fix = { lat: 26.86, lon: 112.6, accuracy: 8, at: 1 }
    const first = effectScope().run(() => usePhotoPicker(9, prepare))!
    first.add([file('a.jpg')], fix)
    await vi.waitFor(() => expect(first.processing.value).toBe(false))
    first.add([file('b.jpg')], fix) // still shrinking when the camera opens: the original is kept
    const saved = first.snapshot()
    // IndexedDB cannot clone Vue's proxies: the draft must be plain data
    for (const d of saved) expect(isProxy(d.fix) || isProxy(d.exif) || isProxy(d.blob)).toBe(false)
    expect(saved.map((d) => [d.name, d.ready])).toEqual([
      ['a.jpg', true],
      ['b.jpg', false],
    ])

    const second = effectScope().run(() => usePhotoPicker(9, prepare))!
    second.restore(saved)
    await vi.waitFor(() => expect(second.processing.value).toBe(false))
    const photos = second.jobPhotos('before')
    expect(photos.map((p) => p.clientId)).toEqual(saved.map((d) => d.clientId))
    expect(photos[0].facts).toMatchObject({ exif_taken_at: '2026-11-22T16:00:00', device_lat: 26.86 })
  })
})
