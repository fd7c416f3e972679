import { upload, type UploadOptions } from './client'
import type { Photo, PhotoFacts, PhotoKind } from './types'

export interface PhotoUpload {
  clientId: string
  kind: PhotoKind
  blob: Blob
  fileName: string
  facts: PhotoFacts
}

/** The multipart form of POST /photos: the file and the facts beside it, empty ones left out. */
export function photoForm(p: PhotoUpload): FormData {
  const form = new FormData()
  form.append('client_id', p.clientId)
  form.append('kind', p.kind)
  for (const [key, value] of Object.entries(p.facts)) {
    if (value !== undefined && value !== null && value !== '') form.append(key, String(value))
  }
  form.append('file', p.blob, p.fileName)
  return form
}

export const uploadPhoto = (p: PhotoUpload, opts: UploadOptions = {}) => upload<Photo>('/photos', photoForm(p), opts)
