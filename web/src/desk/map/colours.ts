// The map's colours by status, overdue in red: the markers (leafletMap.ts) and the legend beside
// the filters use the same ones. Kept apart from leafletMap.ts so the legend does not pull in Leaflet.
import type { Status } from '@/api/types'

export const STATUS_COLOURS: Record<Status, string> = {
  reported: '#b25600',
  assigned: '#1a5fb4',
  rectified: '#157a3e',
  closed: '#5c6470',
  cancelled: '#9aa1ab',
}
export const OVERDUE_COLOUR = '#c8161d'
