import { get } from './client'
import type { Community } from './types'

export const listCommunities = () => get<{ items: Community[] }>('/communities').then((r) => r.items)
