// What a screen hands to the submission module, and what it hears back.
//
// A Job is plain, serialisable data (Blobs included): everything needed to send one write
// again later. Issue #4 stores Jobs in an IndexedDB outbox; screens do not change.

import type { ActionBody, IssueDetail, NewIssueBody, PhotoFacts, PhotoKind } from '@/api/types'
import type { ApiError, NetworkError } from '@/api/client'

export interface JobPhoto {
  /** Idempotency key of the upload (crypto.randomUUID at pick time). */
  clientId: string
  kind: PhotoKind
  blob: Blob
  fileName: string
  facts: PhotoFacts
  /** Set once the server confirmed the upload; a retry skips it. */
  photoId?: string
}

interface JobBase {
  /** The client_id sent with the write: one per draft, kept across retries. */
  id: string
  /** When the person did it (ISO); actions send it as acted_at. */
  createdAt: string
  photos: JobPhoto[]
  /** How to name it in the outbox when the screen knows better (category code, place). */
  about?: { category?: string; place?: string }
}

export interface CreateIssueJob extends JobBase {
  type: 'create_issue'
  issue: Omit<NewIssueBody, 'client_id' | 'photo_ids'>
}

export interface ActionJob extends JobBase {
  type: 'action'
  issueId: string
  action: Omit<ActionBody, 'client_id' | 'photo_ids' | 'acted_at'>
}

export type Job = CreateIssueJob | ActionJob

export type PhotoState = 'waiting' | 'uploading' | 'done' | 'failed'

export interface PhotoProgress {
  clientId: string
  state: PhotoState
  /** 0..1 */
  fraction: number
}

export type Stage = 'queued' | 'photos' | 'saving' | 'done' | 'failed'

export interface Progress {
  jobId: string
  stage: Stage
  photos: PhotoProgress[]
}

/** 'sent': the server confirmed; 'queued': kept to be sent later (the offline outbox, issue #4). */
export type Outcome = { state: 'sent'; issue: IssueDetail } | { state: 'queued'; jobId: string }

export type FailedStep = 'photo' | 'save'

/** Why a job did not go through; `cause` says whether the network or the server refused it. */
export class SubmissionError extends Error {
  readonly cause: ApiError | NetworkError | Error
  readonly step: FailedStep
  /** Index in job.photos when step is 'photo'. */
  readonly photoIndex: number | null

  constructor(cause: ApiError | NetworkError | Error, step: FailedStep, photoIndex: number | null = null) {
    super(cause.message)
    this.name = 'SubmissionError'
    this.cause = cause
    this.step = step
    this.photoIndex = photoIndex
  }
}

export interface Submitter {
  /**
   * Send one job: each photo in its own request (with progress), then the issue or the
   * action with the job's id as client_id. Resolves with the outcome or rejects with a
   * SubmissionError. Calling it again with the same job (after a failure) resumes: photos
   * already confirmed are not sent again, and the server dedups on client_id.
   */
  submit(job: Job, onProgress?: (p: Progress) => void): Promise<Outcome>
}
