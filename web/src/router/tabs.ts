import type { Role } from '@/api/types'

export interface Tab {
  to: string
  icon: string
  label: 'tabs.report' | 'tabs.mine' | 'tabs.review' | 'tabs.todo' | 'tabs.issues' | 'tabs.dispatch' | 'tabs.extensions' | 'tabs.me'
}

const ME: Tab = { to: '/me', icon: 'user-o', label: 'tabs.me' }
const ISSUES: Tab = { to: '/issues', icon: 'apps-o', label: 'tabs.issues' }

export const TABS: Record<Role, Tab[]> = {
  inspector: [
    { to: '/report', icon: 'photograph', label: 'tabs.report' },
    { to: '/mine', icon: 'orders-o', label: 'tabs.mine' },
    { to: '/review', icon: 'passed', label: 'tabs.review' },
    ME,
  ],
  community_staff: [{ to: '/todo', icon: 'todo-list-o', label: 'tabs.todo' }, ISSUES, ME],
  supervisor: [
    ISSUES,
    { to: '/dispatch', icon: 'guide-o', label: 'tabs.dispatch' },
    { to: '/extensions', icon: 'clock-o', label: 'tabs.extensions' },
    ME,
  ],
  admin: [ISSUES, ME],
  street_staff: [ISSUES, ME],
}

export function tabsFor(role: Role | null): Tab[] {
  return role ? TABS[role] : []
}
