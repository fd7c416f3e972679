// The map's API: the base map to draw on, the issues of a viewport (GeoJSON), and the export links.
import { buildUrl, get, type Query } from '@/api/client'
import type { Bilingual, Status } from '@/api/types'

export interface TileLayerConfig {
  url: string
  attribution: string
  subdomains: string
  max_zoom: number
}

/** GET /map/config */
export interface MapConfig {
  provider: string
  datum: 'wgs84' | 'gcj02'
  layers: TileLayerConfig[]
  center: { lat: number; lon: number }
  zoom: number
}

export interface IssueProps {
  cluster: false
  id: string
  status: Status
  status_label: Bilingual
  category: { code: string; name_zh: string; name_en: string }
  is_overdue: boolean
  deadline_at: string | null
  community: { id: number; name: string } | null
  location_text: string
  thumbnail_url: string | null
}

export interface ClusterProps {
  cluster: true
  count: number
  overdue_count: number
  /** The grid cell [west, south, east, north], WGS-84: fitting it splits the cluster. */
  bbox: [number, number, number, number]
}

export interface MapFeature<P = IssueProps | ClusterProps> {
  type: 'Feature'
  id: string
  /** [lon, lat], WGS-84 */
  geometry: { type: 'Point'; coordinates: [number, number] }
  properties: P
}

export interface MapMeta {
  mode: 'issues' | 'clusters'
  zoom: number
  grid_level: number
  total: number
  overdue: number
  threshold: number
}

export interface MapCollection {
  type: 'FeatureCollection'
  features: MapFeature[]
  meta: MapMeta
}

export type BBox = [number, number, number, number]

export const getMapConfig = () => get<MapConfig>('/map/config')

export const getMapIssues = (bbox: BBox, zoom: number, filters: Query, signal?: AbortSignal) =>
  get<MapCollection>('/map/issues', { bbox: bbox.map((v) => v.toFixed(6)).join(','), zoom: Math.floor(zoom), ...filters }, signal)

/** 督查限时整改一览表 (.xlsx) with the map's filters. */
export const excelUrl = (filters: Query) => buildUrl('/exports/issues.xlsx', filters)

/** 整改通知单 of one issue (PDF). */
export const noticeUrl = (id: string) => buildUrl(`/exports/notice/${encodeURIComponent(id)}.pdf`)

export function isCluster(f: MapFeature): f is MapFeature<ClusterProps> {
  return f.properties.cluster
}

export function isIssue(f: MapFeature): f is MapFeature<IssueProps> {
  return !f.properties.cluster
}
