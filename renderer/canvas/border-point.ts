import type { Box, Point } from '../editor/geometry';

/** Where the line from a box's centre towards `toward` leaves the box (the centre if they coincide). */
export function borderPoint(b: Box, toward: Point): Point {
  const cx = b.x + b.width / 2;
  const cy = b.y + b.height / 2;
  const dx = toward.x - cx;
  const dy = toward.y - cy;
  if (dx === 0 && dy === 0) return { x: cx, y: cy };
  // Scale the direction until it meets the nearer of the vertical or horizontal sides.
  const sx = dx === 0 ? Infinity : b.width / 2 / Math.abs(dx);
  const sy = dy === 0 ? Infinity : b.height / 2 / Math.abs(dy);
  const s = Math.min(sx, sy);
  return { x: cx + dx * s, y: cy + dy * s };
}
