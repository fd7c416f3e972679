// WGS-84 ⇄ GCJ-02 ("Mars coordinates"), for base maps drawn in GCJ-02 (AMap). The server and the
// API speak WGS-84 only: points are shifted to GCJ-02 to be drawn, and whatever the map gives back
// (a viewport, a click) is shifted back before it is used. The standard formulas (googollee's
// eviltransform, Krasovsky ellipsoid); outside China GCJ-02 is WGS-84.

export interface LatLon {
  lat: number
  lon: number
}

const A = 6378245.0 // Krasovsky 1940 semi-major axis, as GCJ-02 uses
const EE = 0.00669342162296594323 // its first eccentricity squared

export function outOfChina(lat: number, lon: number): boolean {
  return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271
}

function transform(x: number, y: number): LatLon {
  const xy = x * y
  const absX = Math.sqrt(Math.abs(x))
  const xPi = x * Math.PI
  const yPi = y * Math.PI
  const d = 20 * Math.sin(6 * xPi) + 20 * Math.sin(2 * xPi)
  let lat = d + 20 * Math.sin(yPi) + 40 * Math.sin(yPi / 3) + 160 * Math.sin(yPi / 12) + 320 * Math.sin(yPi / 30)
  let lon = d + 20 * Math.sin(xPi) + 40 * Math.sin(xPi / 3) + 150 * Math.sin(xPi / 12) + 300 * Math.sin(xPi / 30)
  lat = (lat * 2) / 3 - 100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * xy + 0.2 * absX
  lon = (lon * 2) / 3 + 300 + x + 2 * y + 0.1 * x * x + 0.1 * xy + 0.1 * absX
  return { lat, lon }
}

/** The GCJ-02 offset at a WGS-84 point, in degrees. */
function delta(lat: number, lon: number): LatLon {
  const d = transform(lon - 105, lat - 35)
  const radLat = (lat / 180) * Math.PI
  const magic = 1 - EE * Math.sin(radLat) ** 2
  const sqrtMagic = Math.sqrt(magic)
  return {
    lat: (d.lat * 180) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI),
    lon: (d.lon * 180) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI),
  }
}

export function wgs84ToGcj02(lat: number, lon: number): LatLon {
  if (outOfChina(lat, lon)) return { lat, lon }
  const d = delta(lat, lon)
  return { lat: lat + d.lat, lon: lon + d.lon }
}

/** The inverse, by fixed-point iteration: within 1e-7° (about a centimetre) in a few steps. */
export function gcj02ToWgs84(lat: number, lon: number): LatLon {
  if (outOfChina(lat, lon)) return { lat, lon }
  let w = { lat, lon }
  for (let i = 0; i < 30; i++) {
    const g = wgs84ToGcj02(w.lat, w.lon)
    const dLat = g.lat - lat
    const dLon = g.lon - lon
    w = { lat: w.lat - dLat, lon: w.lon - dLon }
    if (Math.abs(dLat) < 1e-9 && Math.abs(dLon) < 1e-9) break
  }
  return w
}

/** How the map's coordinates relate to the API's WGS-84: identity, or the GCJ-02 shift. */
export interface Datum {
  /** WGS-84 (the API) → where the base map draws it. */
  toMap(lat: number, lon: number): LatLon
  /** A point of the base map → WGS-84. */
  fromMap(lat: number, lon: number): LatLon
}

export const WGS84: Datum = { toMap: (lat, lon) => ({ lat, lon }), fromMap: (lat, lon) => ({ lat, lon }) }
export const GCJ02: Datum = { toMap: wgs84ToGcj02, fromMap: gcj02ToWgs84 }

export function datumFor(name: string): Datum {
  return name === 'gcj02' ? GCJ02 : WGS84
}

/** A map viewport [west, south, east, north] → the WGS-84 box that covers it (all four corners). */
export function bboxFromMap(datum: Datum, west: number, south: number, east: number, north: number): [number, number, number, number] {
  const corners = [datum.fromMap(south, west), datum.fromMap(south, east), datum.fromMap(north, west), datum.fromMap(north, east)]
  const clampLon = (v: number) => Math.min(180, Math.max(-180, v))
  const clampLat = (v: number) => Math.min(90, Math.max(-90, v))
  return [
    clampLon(Math.min(...corners.map((c) => c.lon))),
    clampLat(Math.min(...corners.map((c) => c.lat))),
    clampLon(Math.max(...corners.map((c) => c.lon))),
    clampLat(Math.max(...corners.map((c) => c.lat))),
  ]
}
