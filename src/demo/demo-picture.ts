import { GLYPH_HEIGHT, renderText, textWidth } from "./bitmap-font.js";
import type { RgbImage } from "./jpeg-encoder.js";

export interface PictureSpec {
  width: number;
  height: number;
  /** Picks colours and shapes, so each demo photo looks different (and hashes differently). */
  seed: number;
  /** Lines written bottom-left, e.g. the photo's number, owner and date. */
  label: readonly string[];
}

type Rgb = [number, number, number];

/** A deterministic generator (mulberry32): the same seed paints the same picture. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** HSV (hue in turns, 0–1) to 8-bit RGB. */
export function hsv(hue: number, saturation: number, value: number): Rgb {
  const h = (((hue % 1) + 1) % 1) * 6;
  const chroma = value * saturation;
  const x = chroma * (1 - Math.abs((h % 2) - 1));
  const m = value - chroma;
  const sector = Math.floor(h);
  const [r, g, b] = [
    [chroma, x, 0],
    [x, chroma, 0],
    [0, chroma, x],
    [0, x, chroma],
    [x, 0, chroma],
    [chroma, 0, x],
  ][sector] as Rgb;
  return [r, g, b].map((c) => Math.round((c + m) * 255)) as Rgb;
}

const mix = (a: Rgb, b: Rgb, t: number): Rgb => [
  a[0] + (b[0] - a[0]) * t,
  a[1] + (b[1] - a[1]) * t,
  a[2] + (b[2] - a[2]) * t,
];

/**
 * A small landscape: a sky gradient, a sun, two rolling hills and a label. Colourful and
 * smooth, so it looks like a photo thumbnail in PhotoPrism rather than noise.
 */
export function paintPicture(spec: PictureSpec): RgbImage {
  const { width, height } = spec;
  const random = seededRandom(spec.seed);
  const hue = random();
  const skyTop = hsv(hue, 0.75, 0.55);
  const skyBottom = hsv(hue + 0.12, 0.45, 0.98);
  const sun = hsv(hue + 0.5, 0.8, 1);
  const hills: { colour: Rgb; base: number; amplitude: number; wave: number; phase: number }[] = [
    { colour: hsv(hue + 0.3, 0.6, 0.6), base: 0.62, amplitude: 0.08, wave: 1.5, phase: 0 },
    { colour: hsv(hue + 0.35, 0.7, 0.4), base: 0.78, amplitude: 0.06, wave: 2.5, phase: 0 },
  ];
  for (const hill of hills) hill.phase = random() * Math.PI * 2;
  const sunX = (0.2 + random() * 0.6) * width;
  const sunY = (0.18 + random() * 0.25) * height;
  const sunRadius = (0.08 + random() * 0.06) * Math.min(width, height);

  // Each hill's ridge height per column, and how much of it covers a pixel (a one-pixel
  // blend, so outlines are not jagged after compression).
  const ridges = hills.map((hill) =>
    Float64Array.from({ length: width }, (_, x) => {
      const wave = Math.sin((x / width) * Math.PI * hill.wave + hill.phase);
      return (hill.base + hill.amplitude * wave) * height;
    }),
  );
  const cover = (edge: number) => Math.min(1, Math.max(0, edge + 0.5));
  const rgb = new Uint8Array(width * height * 3);
  const pixel: Rgb = [0, 0, 0];
  const blend = (colour: Rgb, t: number) => {
    if (t <= 0) return;
    for (let c = 0; c < 3; c++) pixel[c] = pixel[c]! + (colour[c]! - pixel[c]!) * t;
  };
  for (let y = 0; y < height; y++) {
    const sky = mix(skyTop, skyBottom, y / Math.max(1, height - 1));
    for (let x = 0; x < width; x++) {
      pixel[0] = sky[0];
      pixel[1] = sky[1];
      pixel[2] = sky[2];
      blend(sun, cover(sunRadius - Math.hypot(x - sunX, y - sunY)));
      hills.forEach((hill, index) => blend(hill.colour, cover(y - ridges[index]![x]!)));
      const at = (y * width + x) * 3;
      rgb[at] = Math.round(pixel[0]);
      rgb[at + 1] = Math.round(pixel[1]);
      rgb[at + 2] = Math.round(pixel[2]);
    }
  }
  drawLabel({ width, height, rgb }, spec.label);
  return { width, height, rgb };
}

/** White text with a dark shadow, scaled so it stays readable in a thumbnail. */
function drawLabel(image: RgbImage, lines: readonly string[]): void {
  const longest = Math.max(1, ...lines.map(textWidth));
  const scale = Math.max(1, Math.min(6, Math.floor((image.width * 0.8) / longest)));
  const lineHeight = (GLYPH_HEIGHT + 3) * scale;
  const margin = 2 * scale;
  const top = image.height - margin - lines.length * lineHeight;
  const fill = (px: number, py: number, colour: Rgb): void => {
    for (let dy = 0; dy < scale; dy++) {
      for (let dx = 0; dx < scale; dx++) {
        const x = px + dx;
        const y = py + dy;
        if (x >= 0 && y >= 0 && x < image.width && y < image.height)
          image.rgb.set(colour, (y * image.width + x) * 3);
      }
    }
  };
  lines.forEach((line, index) => {
    const y0 = top + index * lineHeight;
    const at = (x: number, y: number): [number, number] => [margin + x * scale, y0 + y * scale];
    const shadow = Math.max(1, Math.floor(scale / 2));
    renderText(line, (x, y) => {
      const [px, py] = at(x, y);
      fill(px + shadow, py + shadow, [20, 20, 30]);
    });
    renderText(line, (x, y) => fill(...at(x, y), [255, 255, 255]));
  });
}
