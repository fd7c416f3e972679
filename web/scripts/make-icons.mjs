// Draws the app icons (a white map pin with a check mark on the theme blue) as PNG files,
// with nothing but Node: `npm run icons` writes public/icons/*.png.
import { deflateSync } from 'node:zlib'
import { mkdirSync, writeFileSync } from 'node:fs'

const BLUE = [0x1a, 0x5f, 0xb4]
const WHITE = [255, 255, 255]

const crcTable = new Uint32Array(256).map((_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(buf) {
  let c = 0xffffffff
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
function chunk(type, data) {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const td = Buffer.concat([Buffer.from(type), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(td))
  return Buffer.concat([len, td, crc])
}
function png(size, rgba) {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(size, 0)
  ihdr.writeUInt32BE(size, 4)
  ihdr[8] = 8
  ihdr[9] = 6 // RGBA
  const raw = Buffer.alloc((size * 4 + 1) * size)
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4)
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

// Shapes in unit coordinates (0..1), the symbol centred in a box of side `s`.
function inRoundedSquare(x, y, r) {
  const cx = Math.min(Math.max(x, r), 1 - r)
  const cy = Math.min(Math.max(y, r), 1 - r)
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r
}
function inPin(x, y, s) {
  // pin: circle head + a point below; coordinates relative to the symbol box
  const u = (x - 0.5) / s + 0.5
  const v = (y - 0.5) / s + 0.5
  const cx = 0.5, cy = 0.4, R = 0.3
  if ((u - cx) ** 2 + (v - cy) ** 2 <= R * R) return true
  // the tip: a triangle from the circle's tangents down to (0.5, 0.95)
  if (v >= cy && v <= 0.95) {
    const half = R * (0.95 - v) / (0.95 - cy) * 0.93
    return Math.abs(u - cx) <= half
  }
  return false
}
function inCheck(x, y, s) {
  const u = (x - 0.5) / s + 0.5
  const v = (y - 0.5) / s + 0.5
  const w = 0.055
  const seg = (ax, ay, bx, by) => {
    const dx = bx - ax, dy = by - ay
    const t = Math.max(0, Math.min(1, ((u - ax) * dx + (v - ay) * dy) / (dx * dx + dy * dy)))
    return (u - ax - t * dx) ** 2 + (v - ay - t * dy) ** 2 <= w * w
  }
  return seg(0.37, 0.4, 0.47, 0.5) || seg(0.47, 0.5, 0.64, 0.31)
}

function draw(size, { maskable }) {
  const buf = Buffer.alloc(size * size * 4)
  const S = 4 // supersampling
  const symbol = maskable ? 0.62 : 0.74
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let bg = 0, white = 0
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const x = (px + (sx + 0.5) / S) / size
          const y = (py + (sy + 0.5) / S) / size
          const inside = maskable || inRoundedSquare(x, y, 0.2)
          if (!inside) continue
          bg++
          if (inPin(x, y, symbol) && !inCheck(x, y, symbol)) white++
        }
      }
      const n = S * S
      const a = bg / n
      const w = bg ? white / bg : 0
      const i = (py * size + px) * 4
      for (let k = 0; k < 3; k++) buf[i + k] = Math.round(BLUE[k] * (1 - w) + WHITE[k] * w)
      buf[i + 3] = Math.round(a * 255)
    }
  }
  return png(size, buf)
}

const out = new URL('../public/icons/', import.meta.url)
mkdirSync(out, { recursive: true })
writeFileSync(new URL('icon-192.png', out), draw(192, { maskable: false }))
writeFileSync(new URL('icon-512.png', out), draw(512, { maskable: false }))
writeFileSync(new URL('maskable-512.png', out), draw(512, { maskable: true }))
writeFileSync(new URL('apple-touch-icon-180.png', out), draw(180, { maskable: true }))
console.log('icons written to public/icons/')
