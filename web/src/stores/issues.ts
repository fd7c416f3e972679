// Issue lists (by name: 'todo', 'review', 'mine' …) and issue details, with paging and a
// "stale" mark after any write, so every list shows fresh data the next time it is opened.
import { reactive, ref } from 'vue'
import { defineStore } from 'pinia'
import { getIssue, listIssues } from '@/api/issues'
import { isNetworkError } from '@/api/client'
import type { IssueDetail, IssueQuery, IssueSummary } from '@/api/types'
import { keepDetail, keepList, recallDetail, recallList } from '@/offline/reading'

export interface ListState {
  query: IssueQuery
  items: IssueSummary[]
  total: number
  page: number
  loading: boolean
  /** The last load failed (kept items stay visible). */
  error: unknown
  finished: boolean
  loaded: boolean
  stale: boolean
  /** Shown from the copy kept on the phone (no network): when it was kept (ms). */
  cachedAt: number | null
}

const PER_PAGE = 20
/** Signed photo links live 15 minutes: a detail older than this is fetched again. */
const DETAIL_TTL_MS = 10 * 60_000

function emptyList(query: IssueQuery): ListState {
  return { query, items: [], total: 0, page: 0, loading: false, error: null, finished: false, loaded: false, stale: false, cachedAt: null }
}

export const useIssuesStore = defineStore('issues', () => {
  const lists = reactive<Record<string, ListState>>({})
  const details = reactive<Record<string, { issue: IssueDetail; at: number }>>({})
  const generation = ref(0)
  const seq: Record<string, number> = {}

  function list(name: string): ListState {
    if (!lists[name]) lists[name] = emptyList({})
    return lists[name] // the reactive proxy (an assignment expression would give the raw object)
  }

  /** Load page 1 for `query` (replacing the list), or the next page when `more`. */
  async function load(name: string, query: IssueQuery, more = false): Promise<void> {
    const state = list(name)
    const mine = (seq[name] = (seq[name] ?? 0) + 1)
    if (!more) state.query = query
    const page = more ? state.page + 1 : 1
    state.loading = true
    state.error = null
    try {
      const result = await listIssues({ ...state.query, page, per_page: PER_PAGE })
      if (seq[name] !== mine) return // a newer load started meanwhile
      state.items = more ? [...state.items, ...result.items.filter((i) => !state.items.some((s) => s.id === i.id))] : result.items
      state.total = result.total
      state.page = page
      state.finished = state.items.length >= result.total || result.items.length < PER_PAGE
      state.loaded = true
      state.stale = false
      state.cachedAt = null
      keepList(name, state.items, state.total) // for offline reading (待复查, 待整改, 我的上报)
    } catch (e) {
      if (seq[name] !== mine) return
      if (!more && isNetworkError(e)) {
        const kept = await recallList(name, state.query)
        if (seq[name] !== mine) return
        if (kept) {
          state.items = kept.items
          state.total = kept.total
          state.page = 1
          state.finished = true
          state.loaded = true
          state.stale = false
          state.cachedAt = kept.at
          return
        }
      }
      state.error = e
      state.finished = true // stop infinite scroll from hammering a broken link
    } finally {
      if (seq[name] === mine) state.loading = false
    }
  }

  function cachedDetail(id: string): IssueDetail | null {
    return details[id]?.issue ?? null
  }

  async function loadDetail(id: string, force = false): Promise<IssueDetail> {
    const hit = details[id]
    if (hit && !force && Date.now() - hit.at < DETAIL_TTL_MS) return hit.issue
    let issue: IssueDetail
    try {
      issue = await getIssue(id)
    } catch (e) {
      // No network: the copy kept on the phone (at 0, so the next look asks the server again).
      const kept = isNetworkError(e) ? await recallDetail(id) : null
      if (!kept) throw e
      details[id] = { issue: kept, at: 0 }
      return kept
    }
    details[id] = { issue, at: Date.now() }
    keepDetail(issue)
    return issue
  }

  /** After a write: keep the server's answer and mark every list stale. */
  function written(issue: IssueDetail | null): void {
    if (issue) details[issue.id] = { issue, at: Date.now() }
    for (const state of Object.values(lists)) state.stale = true
    generation.value++
  }

  function clear(): void {
    for (const key of Object.keys(lists)) delete lists[key]
    for (const key of Object.keys(details)) delete details[key]
  }

  return { lists, generation, list, load, cachedDetail, loadDetail, written, clear }
})
