// Who is logged in. The profile is remembered in localStorage so the app shell can start
// without a network (issue #4); the CSRF token lives only in memory and is fetched again
// from GET /me when needed.
import { computed, ref } from 'vue'
import { defineStore } from 'pinia'
import * as authApi from '@/api/auth'
import { isApiError, isNetworkError } from '@/api/client'
import type { Role, User } from '@/api/types'

const USER_KEY = 'xuncha.user'

export type SessionState = 'unknown' | 'anonymous' | 'authenticated'

/** The first screen of each role (the left-most tab). */
export const HOME_BY_ROLE: Record<Role, string> = {
  inspector: '/report',
  community_staff: '/todo',
  supervisor: '/issues',
  admin: '/issues',
  street_staff: '/issues',
}

/** At a desk (a wide screen), whoever sits at the supervisor's desk starts on its map. */
export const DESK_HOME = '/desk/map'
const DESK_ROLES: Role[] = ['supervisor', 'admin', 'street_staff']
const DESK_SCREEN = '(min-width: 1024px)'

export function homeFor(role: Role, wideScreen = typeof window !== 'undefined' && !!window.matchMedia?.(DESK_SCREEN).matches): string {
  return wideScreen && DESK_ROLES.includes(role) ? DESK_HOME : HOME_BY_ROLE[role]
}

function loadCachedUser(): User | null {
  try {
    const raw = localStorage.getItem(USER_KEY)
    return raw ? (JSON.parse(raw) as User) : null
  } catch {
    return null
  }
}

function cacheUser(user: User | null): void {
  try {
    if (user) localStorage.setItem(USER_KEY, JSON.stringify(user))
    else localStorage.removeItem(USER_KEY)
  } catch {
    // storage full or blocked: the session still works until reload
  }
}

export const useSessionStore = defineStore('session', () => {
  const user = ref<User | null>(null)
  const csrfToken = ref<string | null>(null)
  const state = ref<SessionState>('unknown')
  /** True when the user comes from the cache because the server could not be reached. */
  const offlineStart = ref(false)
  let restoring: Promise<void> | null = null

  const role = computed<Role | null>(() => user.value?.role ?? null)
  const home = computed(() => (role.value ? homeFor(role.value) : '/login'))

  function set(u: User | null, token: string | null): void {
    user.value = u
    csrfToken.value = token
    state.value = u ? 'authenticated' : 'anonymous'
    cacheUser(u)
  }

  /** Ask the server who we are (once per start); fall back to the cached profile when offline. */
  function restore(): Promise<void> {
    if (state.value !== 'unknown') return Promise.resolve()
    if (!loadCachedUser()) {
      // Never logged in on this phone (or logged out): straight to the login page, without
      // a 401 from GET /me. A session cookie left without a profile just means logging in again.
      state.value = 'anonymous'
      return Promise.resolve()
    }
    restoring ??= authApi
      .me()
      .then((s) => {
        offlineStart.value = false
        set(s.user, s.csrf_token)
      })
      .catch((e: unknown) => {
        const cached = loadCachedUser()
        if (isNetworkError(e) || (isApiError(e) && e.status >= 500)) {
          offlineStart.value = cached !== null
          user.value = cached
          state.value = cached ? 'authenticated' : 'anonymous'
        } else {
          set(null, null)
        }
      })
      .finally(() => {
        restoring = null
      })
    return restoring
  }

  async function login(username: string, password: string): Promise<User> {
    const s = await authApi.login(username.trim(), password)
    offlineStart.value = false
    set(s.user, s.csrf_token)
    return s.user
  }

  async function logout(): Promise<void> {
    try {
      await authApi.logout()
    } catch {
      // offline or already gone: forget locally anyway
    }
    set(null, null)
  }

  /** A fresh CSRF token from GET /me; null (and logged out) when the session is gone. */
  async function refreshCsrf(): Promise<string | null> {
    try {
      const s = await authApi.me()
      set(s.user, s.csrf_token)
      return s.csrf_token
    } catch (e) {
      if (isApiError(e) && e.status === 401) set(null, null)
      return null
    }
  }

  /** The server said 401: the session expired. */
  function expire(): void {
    set(null, null)
  }

  return { user, csrfToken, state, offlineStart, role, home, restore, login, logout, refreshCsrf, expire }
})
