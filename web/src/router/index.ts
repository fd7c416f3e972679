// Routes, lazily loaded per screen, and the guard: log in first, and only your role's screens.
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import type { Role } from '@/api/types'
import { useSessionStore } from '@/stores/session'

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without logging in. */
    public?: boolean
    /** Only these roles (default: everyone logged in). */
    roles?: Role[]
    /** Shows the bottom tab bar. */
    tab?: boolean
    /** Uses the whole width of a desktop screen (the supervisor's desk), not the phone column. */
    wide?: boolean
  }
}

const REPORTERS: Role[] = ['inspector', 'supervisor']
/** Who sits at the supervisor's desk: the map and the league table. */
const DESK: Role[] = ['supervisor', 'admin', 'street_staff']

const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('@/views/LoginView.vue'), meta: { public: true } },
  { path: '/', name: 'home', redirect: () => useSessionStore().home },
  { path: '/report', name: 'report', component: () => import('@/views/ReportView.vue'), meta: { roles: REPORTERS, tab: true } },
  { path: '/mine', name: 'mine', component: () => import('@/views/MyReportsView.vue'), meta: { roles: REPORTERS, tab: true } },
  { path: '/review', name: 'review', component: () => import('@/views/ReviewListView.vue'), meta: { roles: REPORTERS, tab: true } },
  { path: '/todo', name: 'todo', component: () => import('@/views/TodoView.vue'), meta: { roles: ['community_staff'], tab: true } },
  { path: '/issues', name: 'issues', component: () => import('@/views/IssuesView.vue'), meta: { tab: true } },
  { path: '/dispatch', name: 'dispatch', component: () => import('@/views/DispatchView.vue'), meta: { roles: ['supervisor'], tab: true } },
  { path: '/extensions', name: 'extensions', component: () => import('@/views/ExtensionsView.vue'), meta: { roles: ['supervisor'], tab: true } },
  { path: '/outbox', name: 'outbox', component: () => import('@/views/OutboxView.vue'), meta: { tab: true } },
  { path: '/desk/map', name: 'desk-map', component: () => import('@/desk/map/MapDeskView.vue'), meta: { roles: DESK, tab: true, wide: true } },
  { path: '/desk/rank', name: 'desk-rank', component: () => import('@/desk/rank/RankView.vue'), meta: { roles: DESK, tab: true } },
  { path: '/inbox', name: 'inbox', component: () => import('@/views/InboxView.vue'), meta: { tab: true } },
  { path: '/me', name: 'me', component: () => import('@/views/MeView.vue'), meta: { tab: true } },
  { path: '/issues/:id', name: 'issue', component: () => import('@/views/IssueDetailView.vue'), props: true },
  {
    path: '/issues/:id/do/:action',
    name: 'issue-action',
    component: () => import('@/views/IssueActionView.vue'),
    props: true,
  },
  { path: '/:pathMatch(.*)*', redirect: '/' },
]

export const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
})

router.beforeEach(async (to) => {
  const session = useSessionStore()
  await session.restore()
  if (to.meta.public) return session.state === 'authenticated' && to.name === 'login' ? session.home : true
  if (session.state !== 'authenticated') return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  if (to.meta.roles && session.role && !to.meta.roles.includes(session.role)) return session.home
  return true
})
