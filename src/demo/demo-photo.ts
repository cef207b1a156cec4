import { paintPicture } from "./demo-picture.js";
import { exifDateTime, exifSegment, type ExifFields } from "./exif-block.js";
import { encodeJpeg } from "./jpeg-encoder.js";

export const DEMO_CAMERA = { make: "photoferry", model: "Demo Camera" } as const;

export interface DemoPhotoSpec {
  /** Picks the picture's colours and shapes. */
  seed: number;
  /** Capture time written to EXIF, as local wall-clock components (EXIF has no zone). */
  taken: ExifFields["taken"];
  /** The person whose phone "took" it; shown on the picture. */
  owner: string;
  width?: number;
  height?: number;
}

/** A real JPEG with an Exif block: what a phone's InstantUpload would put in Nextcloud. */
export function demoPhoto(spec: DemoPhotoSpec): Buffer {
  const width = spec.width ?? 640;
  const height = spec.height ?? 480;
  const image = paintPicture({
    width,
    height,
    seed: spec.seed,
    label: [
      `DEMO #${spec.seed}`,
      spec.owner,
      exifDateTime(spec.taken).replace(/:/, "-").replace(/:/, "-"),
    ],
  });
  const exif = exifSegment({
    taken: spec.taken,
    offset: "+00:00",
    ...DEMO_CAMERA,
    width,
    height,
  });
  return encodeJpeg(image, { quality: 88, segments: [exif] });
}

/** A Date's UTC components, the way the demo writes capture times. */
export function takenAt(date: Date): ExifFields["taken"] {
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
  };
}
