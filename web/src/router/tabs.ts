import type { Role } from '@/api/types'

export interface Tab {
  to: string
  icon: string
  label:
    | 'tabs.report'
    | 'tabs.mine'
    | 'tabs.review'
    | 'tabs.todo'
    | 'tabs.issues'
    | 'tabs.dispatch'
    | 'tabs.map'
    | 'tabs.rank'
    | 'tabs.inbox'
    | 'tabs.me'
}

const ME: Tab = { to: '/me', icon: 'user-o', label: 'tabs.me' }
const ISSUES: Tab = { to: '/issues', icon: 'apps-o', label: 'tabs.issues' }
/** 消息, with the unread badge: every role. */
export const INBOX: Tab = { to: '/inbox', icon: 'chat-o', label: 'tabs.inbox' }
const MAP: Tab = { to: '/desk/map', icon: 'location-o', label: 'tabs.map' }
const RANK: Tab = { to: '/desk/rank', icon: 'bar-chart-o', label: 'tabs.rank' }

/** At most six tabs a role; 延期审批 is reached from 待派发 and 我的. */
export const TABS: Record<Role, Tab[]> = {
  inspector: [
    { to: '/report', icon: 'photograph', label: 'tabs.report' },
    { to: '/mine', icon: 'orders-o', label: 'tabs.mine' },
    { to: '/review', icon: 'passed', label: 'tabs.review' },
    INBOX,
    ME,
  ],
  community_staff: [{ to: '/todo', icon: 'todo-list-o', label: 'tabs.todo' }, ISSUES, INBOX, ME],
  supervisor: [MAP, ISSUES, { to: '/dispatch', icon: 'guide-o', label: 'tabs.dispatch' }, RANK, INBOX, ME],
  admin: [MAP, ISSUES, RANK, INBOX, ME],
  street_staff: [MAP, ISSUES, RANK, INBOX, ME],
}

export function tabsFor(role: Role | null): Tab[] {
  return role ? TABS[role] : []
}
