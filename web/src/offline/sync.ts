// The app's one sync engine, sending through the same HTTP transport as direct submissions.
import { httpTransport } from '@/submission'
import { SyncEngine } from './engine'
import { currentOwner, hooks, outbox } from './runtime'

export const engine = new SyncEngine({
  outbox,
  transport: httpTransport,
  owner: currentOwner,
  listener: {
    changed: () => hooks.changed?.(),
    progress: (id, p) => hooks.progress?.(id, p),
    sent: (id, issue, record) => hooks.sent?.(id, issue, record),
    status: () => hooks.status?.(),
  },
})
