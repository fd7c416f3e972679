// The one way every write leaves the app: new issues with their photos, rectifications
// with after photos, re-checks, extensions, disputes, dispatch.
//
// Today the submitter sends at once (direct.ts). Issue #4 replaces `submitter` with an
// IndexedDB outbox that keeps each Job until the server confirmed it; screens only ever call
// useSubmission().run(job) and show its progress, so they stay as they are.

import { actOnIssue, createIssue } from '@/api/issues'
import { uploadPhoto } from '@/api/photos'
import { createDirectSubmitter, type Transport } from './direct'
import type { Submitter } from './types'

export const httpTransport: Transport = {
  uploadPhoto: (photo, onProgress) =>
    uploadPhoto(
      { clientId: photo.clientId, kind: photo.kind, blob: photo.blob, fileName: photo.fileName, facts: photo.facts },
      { onProgress: (loaded, total) => onProgress(total ? loaded / total : 0) },
    ),
  createIssue,
  act: actOnIssue,
}

let current: Submitter = createDirectSubmitter(httpTransport)

export function submitter(): Submitter {
  return current
}

/** Swap the implementation (the outbox of issue #4; tests). */
export function setSubmitter(next: Submitter): void {
  current = next
}

export * from './types'
export { newIssueJob, actionJob, uuid } from './jobs'
