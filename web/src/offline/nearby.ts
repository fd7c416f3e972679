// Duplicates before they happen: open and recently closed issues of a category near a point.
// Online from GET /issues/nearby; offline from the issues this phone has kept.
import type { IssueSummary, Status } from '@/api/types'

export const NEARBY_RADIUS_M = 50
export const CLOSED_RECENT_DAYS = 30
const OPEN: Status[] = ['reported', 'assigned', 'rectified']
const METRES_PER_DEGREE = 111_320

export interface Point {
  lat: number
  lon: number
}

/** Metres between two nearby points (equirectangular, as the server computes it). */
export function distanceM(a: Point, b: Point): number {
  const dy = (b.lat - a.lat) * METRES_PER_DEGREE
  const dx = (b.lon - a.lon) * METRES_PER_DEGREE * Math.cos((a.lat * Math.PI) / 180)
  return Math.hypot(dx, dy)
}

/** The server's rule applied to kept issues: same category, within the radius, open or closed lately; nearest first. */
export function nearbyFrom(items: IssueSummary[], at: Point, category: string, now = Date.now(), radiusM = NEARBY_RADIUS_M): IssueSummary[] {
  const since = now - CLOSED_RECENT_DAYS * 86_400_000
  return items
    .filter((i) => i.category.code === category && i.lat !== null && i.lon !== null)
    .filter((i) => OPEN.includes(i.status) || (i.status === 'closed' && !!i.closed_at && Date.parse(i.closed_at) >= since))
    .map((i) => ({ ...i, distance_m: Math.round(distanceM(at, { lat: i.lat as number, lon: i.lon as number }) * 10) / 10 }))
    .filter((i) => (i.distance_m as number) <= radiusM)
    .sort((a, b) => (a.distance_m as number) - (b.distance_m as number))
}
