// The shapes the Flask API sends and accepts (see /api/v1/openapi.json and server/*/schemas.py).

export type Role = 'inspector' | 'supervisor' | 'admin' | 'street_staff' | 'community_staff'
export type Status = 'reported' | 'assigned' | 'rectified' | 'closed' | 'cancelled'
export type ActionName =
  | 'same_problem'
  | 'dispatch'
  | 'rectify'
  | 'verify'
  | 'reject'
  | 'request_extension'
  | 'approve_extension'
  | 'deny_extension'
  | 'dispute'
  | 'cancel'
export type EventAction = ActionName | 'report'
export type CategoryKind = 'site' | 'document'
export type PhotoKind = 'before' | 'after'

/** A text the server gives in both languages. */
export interface Bilingual {
  zh: string
  en: string
}

export interface OrgUnitRef {
  id: number
  code: string
  name: string
  name_en?: string | null
  kind: string
}

export interface User {
  id: number
  username: string
  display_name: string
  phone?: string | null
  role: Role
  org_unit: OrgUnitRef
}

export interface SessionInfo {
  user: User
  csrf_token: string
}

export interface Category {
  code: string
  group_code: string
  group_zh: string
  group_en: string
  name_zh: string
  name_en: string
  kind: CategoryKind
  deadline_unit: 'hours' | 'days' | 'working_hours' | 'working_days' | string
  deadline_amount: number
  is_active?: boolean
}

export interface CategoryRef {
  code: string
  name_zh: string
  name_en: string
  group_zh: string
  group_en: string
  kind: CategoryKind
}

export interface CommunityRef {
  id: number
  code: string
  name: string
  name_en?: string | null
}

export interface GeoPolygon {
  type: 'Polygon' | 'MultiPolygon'
  coordinates: number[][][] | number[][][][]
}

export interface Community extends CommunityRef {
  kind?: string
  parent?: { id: number; code: string; name: string; kind: string } | null
  centroid: { lat: number; lon: number } | null
  boundary: GeoPolygon | null
}

export interface Actor {
  id?: number
  username?: string
  display_name: string
  role: Role
}

export interface PhotoUrls {
  display: string
  thumb: string
  original: string
}

export interface Photo {
  id: string
  kind: PhotoKind
  content_type?: string
  width?: number
  height?: number
  taken_at?: string | null
  device_lat?: number | null
  device_lon?: number | null
  device_accuracy_m?: number | null
  created_at?: string
  urls: PhotoUrls
}

export interface IssueSummary {
  id: string
  client_id?: string
  status: Status
  status_label: Bilingual
  category: CategoryRef
  community: CommunityRef | null
  lat: number | null
  lon: number | null
  accuracy_m?: number | null
  location_text: string
  description: string
  deadline_at: string | null
  is_overdue: boolean
  rework_count: number
  extension_requested_until: string | null
  reporter?: Actor
  created_at: string
  updated_at?: string
  dispatched_at?: string | null
  rectified_at?: string | null
  closed_at?: string | null
  thumbnail_url: string | null
  distance_m: number | null
  version: number
}

export interface IssueEvent {
  id?: number
  action: EventAction
  action_label: Bilingual
  from_status: Status | null
  to_status: Status
  actor: Actor | null
  note: string
  data: Record<string, unknown>
  acted_at: string | null
  created_at: string
  photo_ids: string[]
}

export interface IssueDetail extends IssueSummary {
  events: IssueEvent[]
  photos: Photo[]
  available_actions: ActionName[]
  /** Client only: set when this copy was kept on the phone and shown offline (ms since epoch). */
  offline_at?: number
}

export interface Page<T> {
  items: T[]
  total: number
  page: number
  per_page: number
}

export type IssueSort = '-created_at' | 'created_at' | 'deadline' | 'distance'

export interface IssueQuery {
  status?: Status[]
  category?: string
  community_id?: number
  overdue?: boolean
  reporter?: 'me'
  extension_pending?: boolean
  q?: string
  sort?: IssueSort
  near?: { lat: number; lon: number }
  page?: number
  per_page?: number
}

export interface NewIssueBody {
  client_id: string
  category: string
  lat: number | null
  lon: number | null
  accuracy_m: number | null
  location_text: string
  description: string
  photo_ids: string[]
  community_id?: number | null
}

export interface ActionBody {
  action: ActionName
  version: number
  note?: string
  photo_ids?: string[]
  requested_until?: string // YYYY-MM-DD
  community_id?: number
  lat?: number | null
  lon?: number | null
  accuracy_m?: number | null
  acted_at?: string
  client_id?: string
}

/** What the phone knew when a photo was taken (all optional: sent as form fields beside the file). */
export interface PhotoFacts {
  device_lat?: number
  device_lon?: number
  device_accuracy_m?: number
  device_fix_at?: string
  exif_taken_at?: string
  exif_lat?: number
  exif_lon?: number
}
