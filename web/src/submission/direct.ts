// The online submitter: sends now, one job at a time, and reports progress.

import type { ActionBody, IssueDetail, NewIssueBody, Photo } from '@/api/types'
import type { Job, JobPhoto, Outcome, PhotoProgress, Progress, Submitter } from './types'
import { SubmissionError } from './types'

export interface Transport {
  uploadPhoto(photo: JobPhoto, onProgress: (fraction: number) => void): Promise<Photo>
  createIssue(body: NewIssueBody): Promise<IssueDetail>
  act(issueId: string, body: ActionBody): Promise<IssueDetail>
}

export function createDirectSubmitter(transport: Transport): Submitter {
  // One job at a time, in order: two taps on 提交 never race each other.
  let chain: Promise<unknown> = Promise.resolve()

  function submit(job: Job, onProgress?: (p: Progress) => void): Promise<Outcome> {
    const run = chain.then(() => send(transport, job, onProgress))
    chain = run.catch(() => undefined)
    return run
  }

  return { submit }
}

async function send(transport: Transport, job: Job, onProgress?: (p: Progress) => void): Promise<Outcome> {
  const photos: PhotoProgress[] = job.photos.map((p) => ({
    clientId: p.clientId,
    state: p.photoId ? 'done' : 'waiting',
    fraction: p.photoId ? 1 : 0,
  }))
  const emit = (stage: Progress['stage']) => onProgress?.({ jobId: job.id, stage, photos: photos.map((p) => ({ ...p })) })

  emit('photos')
  for (const [index, photo] of job.photos.entries()) {
    if (photo.photoId) continue
    photos[index].state = 'uploading'
    emit('photos')
    try {
      const saved = await transport.uploadPhoto(photo, (fraction) => {
        photos[index].fraction = Math.min(1, Math.max(0, fraction))
        emit('photos')
      })
      photo.photoId = saved.id // remembered on the job: a retry does not upload it again
      photos[index].state = 'done'
      photos[index].fraction = 1
      emit('photos')
    } catch (e) {
      photos[index].state = 'failed'
      emit('failed')
      throw new SubmissionError(e as Error, 'photo', index)
    }
  }

  emit('saving')
  const photoIds = job.photos.map((p) => p.photoId as string)
  try {
    const issue =
      job.type === 'create_issue'
        ? await transport.createIssue({ ...job.issue, client_id: job.id, photo_ids: photoIds })
        : await transport.act(job.issueId, { ...job.action, client_id: job.id, photo_ids: photoIds, acted_at: job.createdAt })
    emit('done')
    return { state: 'sent', issue }
  } catch (e) {
    emit('failed')
    throw new SubmissionError(e as Error, 'save')
  }
}
