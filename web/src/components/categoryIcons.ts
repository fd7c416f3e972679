// An icon (Vant's icon font, inlined in its CSS: no network) for each starting category.
const ICONS: Record<string, string> = {
  corridor_clutter: 'cluster-o',
  debris: 'delete-o',
  exposed_garbage: 'warning-o',
  renovation_waste: 'brush-o',
  sewage_overflow: 'umbrella-circle',
  illegal_shed: 'wap-home-o',
  illegal_building: 'hotel-o',
  vegetable_plot: 'flower-o',
  illegal_posting: 'newspaper-o',
  street_vending: 'shop-o',
  clothes_drying: 'bag-o',
  signage: 'label-o',
  bike_parking: 'logistics',
  abandoned_vehicle: 'stop-circle-o',
  fire_lane_blocked: 'fire-o',
  facility_damage: 'bulb-o',
  paperwork: 'notes-o',
}

export function categoryIcon(code: string): string {
  return ICONS[code] ?? 'question-o'
}
