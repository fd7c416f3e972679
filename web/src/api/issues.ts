import { get, post, type Query } from './client'
import type { ActionBody, IssueDetail, IssueQuery, IssueSummary, NewIssueBody, Page } from './types'

/** IssueQuery → the query string the API reads (lists comma separated, near as "lat,lon"). */
export function issueQueryParams(q: IssueQuery): Query {
  return {
    status: q.status?.length ? q.status.join(',') : undefined,
    category: q.category,
    community_id: q.community_id,
    overdue: q.overdue,
    reporter: q.reporter,
    extension_pending: q.extension_pending,
    q: q.q?.trim() || undefined,
    sort: q.sort,
    near: q.near ? `${q.near.lat.toFixed(6)},${q.near.lon.toFixed(6)}` : undefined,
    page: q.page,
    per_page: q.per_page,
  }
}

export const listIssues = (q: IssueQuery, signal?: AbortSignal) =>
  get<Page<IssueSummary>>('/issues', issueQueryParams(q), signal)
export const getIssue = (id: string, signal?: AbortSignal) => get<IssueDetail>(`/issues/${encodeURIComponent(id)}`, undefined, signal)
export const createIssue = (body: NewIssueBody) => post<IssueDetail>('/issues', body)
export const actOnIssue = (id: string, body: ActionBody) => post<IssueDetail>(`/issues/${encodeURIComponent(id)}/actions`, body)
export const nearbyIssues = (q: { lat: number; lon: number; category?: string; radius_m?: number }, signal?: AbortSignal) =>
  get<{ items: IssueSummary[] }>('/issues/nearby', { lat: q.lat.toFixed(6), lon: q.lon.toFixed(6), category: q.category, radius_m: q.radius_m }, signal)
