import { get, post } from './client'
import type { SessionInfo } from './types'

export const login = (username: string, password: string) => post<SessionInfo>('/auth/login', { username, password })
export const logout = () => post<{ status: string }>('/auth/logout')
export const me = () => get<SessionInfo>('/me')
