import type { Figure, Shape } from './figure.js';

/** The SVG's font: monospace, whose advance (0.6 em) matches the bitmap font at 10 px per scale. */
const FONT_FAMILY = "'DejaVu Sans Mono', Menlo, Consolas, 'Liberation Mono', monospace";

/**
 * Writes a `Figure` as a standalone SVG document: rectangles, polylines, circles and `<text>`
 * (real text, so it can be searched and copied), in the same pixel coordinates as the PNG.
 *
 * @example
 * writeFileSync('curves.svg', toSvg(figure));
 */
export function toSvg(figure: Figure): string {
  const lines = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${figure.width}" height="${figure.height}" viewBox="0 0 ${figure.width} ${figure.height}">`,
    `<rect x="0" y="0" width="${figure.width}" height="${figure.height}" fill="${figure.background}"/>`,
    ...figure.shapes.map(shapeToSvg),
    '</svg>',
  ];
  return lines.join('\n') + '\n';
}

function shapeToSvg(s: Shape): string {
  switch (s.kind) {
    case 'rect':
      return `<rect x="${num(s.x)}" y="${num(s.y)}" width="${num(s.w)}" height="${num(s.h)}" fill="${s.fill}" shape-rendering="crispEdges"/>`;
    case 'circle':
      return `<circle cx="${num(s.cx)}" cy="${num(s.cy)}" r="${num(s.r)}" fill="${s.fill}"/>`;
    case 'polyline': {
      const points = s.points.map(([x, y]) => `${num(x)},${num(y)}`).join(' ');
      const dash = s.dash ? ` stroke-dasharray="${num(s.dash[0])} ${num(s.dash[1])}"` : '';
      return `<polyline points="${points}" fill="none" stroke="${s.color}" stroke-width="${num(s.width)}" stroke-linejoin="round" stroke-linecap="round"${dash}/>`;
    }
    case 'text': {
      const rotate = s.rotate === -90 ? ` transform="rotate(-90 ${num(s.x)} ${num(s.y)})"` : '';
      return `<text x="${num(s.x)}" y="${num(s.y)}" font-family="${FONT_FAMILY}" font-size="${10 * s.scale}" fill="${s.color}" text-anchor="${s.anchor}"${rotate} xml:space="preserve">${escapeXml(s.text)}</text>`;
    }
  }
}

/** A coordinate with at most two decimals and no trailing zeros. */
function num(v: number): string {
  return String(Math.round(v * 100) / 100);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
