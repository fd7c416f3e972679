// Everything that touches Leaflet, loaded only by the map screen (a dynamic import from
// MapCanvas.vue): the inspector's phone never downloads it. Issues are canvas circle markers
// (thousands stay fast), clusters small DOM labels with their counts. Positions go through the
// datum: the API's WGS-84 is shifted to GCJ-02 for AMap tiles, and viewports are shifted back.
import L from 'leaflet'
import 'leaflet/dist/leaflet.css'
import type { Community } from '@/api/types'
import { type BBox, type ClusterProps, type IssueProps, type MapConfig, type MapFeature, isCluster } from './api'
import { OVERDUE_COLOUR, STATUS_COLOURS } from './colours'
import { bboxFromMap, datumFor } from './coords'


export interface DeskMapOptions {
  config: MapConfig
  /** The viewport moved (and on start): a WGS-84 box and Leaflet's zoom. */
  onView(bbox: BBox, zoom: number): void
  onSelect(id: string): void
  clusterLabel(count: number, overdue: number): string
  boundariesLabel: string
}

export interface DeskMap {
  show(features: MapFeature[], selected: string | null): void
  setBoundaries(communities: Community[]): void
  /** Centre an issue (from the list). */
  panTo(feature: MapFeature): void
  /** The container changed size (the list/map toggle on a phone). */
  resize(): void
  destroy(): void
}

export function createDeskMap(el: HTMLElement, options: DeskMapOptions): DeskMap {
  const { config } = options
  const datum = datumFor(config.datum)
  const toLatLng = (lat: number, lon: number) => {
    const p = datum.toMap(lat, lon)
    return L.latLng(p.lat, p.lon)
  }
  const maxZoom = Math.max(...config.layers.map((l) => l.max_zoom), 18)
  const map = L.map(el, { preferCanvas: true, maxZoom, zoomControl: true })
  for (const layer of config.layers) {
    L.tileLayer(layer.url, {
      attribution: layer.attribution,
      maxZoom: layer.max_zoom,
      ...(layer.subdomains ? { subdomains: layer.subdomains } : {}),
    }).addTo(map)
  }
  const renderer = L.canvas({ padding: 0.2 })
  const issues = L.layerGroup().addTo(map)
  const clusters = L.layerGroup().addTo(map)
  const boundaries = L.layerGroup().addTo(map)
  L.control.layers(undefined, { [options.boundariesLabel]: boundaries }, { collapsed: false, position: 'topright' }).addTo(map)

  map.on('moveend', () => {
    const size = map.getSize()
    if (!size.x || !size.y) return // hidden (the phone's list view): no viewport to ask about
    const b = map.getBounds()
    options.onView(bboxFromMap(datum, b.getWest(), b.getSouth(), b.getEast(), b.getNorth()), map.getZoom())
  })
  map.setView(toLatLng(config.center.lat, config.center.lon), config.zoom)

  function issueMarker(f: MapFeature<IssueProps>, selected: boolean): L.CircleMarker {
    const [lon, lat] = f.geometry.coordinates
    const p = f.properties
    const colour = p.is_overdue ? OVERDUE_COLOUR : STATUS_COLOURS[p.status]
    const marker = L.circleMarker(toLatLng(lat, lon), {
      renderer,
      radius: selected ? 11 : 8,
      color: selected ? '#1f2329' : '#fff',
      weight: selected ? 3 : 2,
      fillColor: colour,
      fillOpacity: 0.9,
    })
    marker.bindTooltip(`${p.category.name_zh} · ${p.location_text || p.community?.name || ''}`, { direction: 'top' })
    marker.on('click', () => options.onSelect(p.id))
    return marker
  }

  function clusterMarker(f: MapFeature<ClusterProps>): L.Marker {
    const [lon, lat] = f.geometry.coordinates
    const { count, overdue_count: overdue, bbox } = f.properties
    const size = Math.round(Math.min(64, 30 + Math.log10(count + 1) * 14))
    const label = options.clusterLabel(count, overdue)
    const html =
      `<span class="desk-cluster__count">${count}</span>` +
      (overdue ? `<span class="desk-cluster__overdue">${overdue}</span>` : '')
    const icon = L.divIcon({
      className: `desk-cluster${overdue ? ' desk-cluster--overdue' : ''}`,
      html,
      iconSize: [size, size],
    })
    const marker = L.marker(toLatLng(lat, lon), { icon, title: label, alt: label, keyboard: true })
    marker.on('click', () => {
      const [w, s, e, n] = bbox
      map.fitBounds(L.latLngBounds(toLatLng(s, w), toLatLng(n, e)))
    })
    marker.on('add', () => marker.getElement()?.setAttribute('data-testid', 'map-cluster'))
    return marker
  }

  return {
    show(features, selected) {
      issues.clearLayers()
      clusters.clearLayers()
      // The selected one last, so it is drawn on top.
      const ordered = [...features].sort((a, b) => Number(a.id === selected) - Number(b.id === selected))
      for (const f of ordered) {
        if (isCluster(f)) clusters.addLayer(clusterMarker(f))
        else issues.addLayer(issueMarker(f as MapFeature<IssueProps>, f.id === selected))
      }
    },
    setBoundaries(communities) {
      boundaries.clearLayers()
      for (const c of communities) {
        if (!c.boundary) continue
        const shape = L.geoJSON(c.boundary as GeoJSON.GeometryObject, {
          coordsToLatLng: (xy) => toLatLng(xy[1], xy[0]),
          style: { color: '#1a5fb4', weight: 2, dashArray: '6 4', fillOpacity: 0.04 },
          interactive: false,
        })
        boundaries.addLayer(shape)
      }
    },
    panTo(f) {
      const [lon, lat] = f.geometry.coordinates
      map.panTo(toLatLng(lat, lon))
    },
    resize() {
      map.invalidateSize()
    },
    destroy() {
      map.remove()
    },
  }
}
