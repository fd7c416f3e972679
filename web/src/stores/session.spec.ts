import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { NetworkError, ApiError } from '@/api/client'
import * as auth from '@/api/auth'
import type { SessionInfo } from '@/api/types'
import { useSessionStore } from './session'

vi.mock('@/api/auth', () => ({ login: vi.fn(), logout: vi.fn(), me: vi.fn() }))

const inspector: SessionInfo = {
  user: { id: 1, username: 'inspector', display_name: '王巡查', role: 'inspector', org_unit: { id: 1, code: 'hengyang', name: '衡阳市', kind: 'city' } },
  csrf_token: 'tok',
}

describe('session store', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    localStorage.clear()
  })
  afterEach(() => vi.mocked(auth.me).mockReset())

  it('logs in, keeps the token in memory and the profile for an offline start', async () => {
    vi.mocked(auth.login).mockResolvedValueOnce(inspector)
    const s = useSessionStore()
    await s.login(' inspector ', 'demo1234')
    expect(auth.login).toHaveBeenCalledWith('inspector', 'demo1234')
    expect(s.state).toBe('authenticated')
    expect(s.csrfToken).toBe('tok')
    expect(s.home).toBe('/report')
    expect(JSON.parse(localStorage.getItem('xuncha.user')!).username).toBe('inspector')
    expect(localStorage.getItem('xuncha.user')).not.toContain('tok')
  })

  it('restores from GET /me, or from the cached profile when the network is down', async () => {
    localStorage.setItem('xuncha.user', JSON.stringify(inspector.user))
    vi.mocked(auth.me).mockRejectedValueOnce(new NetworkError('offline'))
    const s = useSessionStore()
    await s.restore()
    expect(s.state).toBe('authenticated')
    expect(s.offlineStart).toBe(true)
    expect(s.csrfToken).toBeNull()
  })

  it('does not ask the server when this phone never logged in', async () => {
    const s = useSessionStore()
    await s.restore()
    expect(s.state).toBe('anonymous')
    expect(auth.me).not.toHaveBeenCalled()
  })

  it('is anonymous when the server says 401', async () => {
    localStorage.setItem('xuncha.user', JSON.stringify(inspector.user))
    vi.mocked(auth.me).mockRejectedValueOnce(new ApiError(401, 'not_authenticated', '请先登录', null, true))
    const s = useSessionStore()
    await s.restore()
    expect(s.state).toBe('anonymous')
    expect(localStorage.getItem('xuncha.user')).toBeNull()
  })

  it('refreshes the CSRF token and forgets everything on logout', async () => {
    vi.mocked(auth.me).mockResolvedValueOnce({ ...inspector, csrf_token: 'tok-2' })
    const s = useSessionStore()
    expect(await s.refreshCsrf()).toBe('tok-2')
    vi.mocked(auth.logout).mockRejectedValueOnce(new NetworkError('offline'))
    await s.logout()
    expect(s.state).toBe('anonymous')
    expect(s.csrfToken).toBeNull()
  })
})
