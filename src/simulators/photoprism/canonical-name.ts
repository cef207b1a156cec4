/**
 * PhotoPrism's canonical import name (pkg/fs/canonical.go) and the date it is built from
 * (`MediaFile.TakenAt`: metadata in UTC → date in the file name → modification time).
 * Pure: the caller reads EXIF and the file's mtime.
 */

/** `date.Format("20060102_150405_") + strings.ToUpper(crc32c)`, `EEEEEEEE` when unknown. */
export function canonicalName(taken: Date, crc32cHex: string | null): string {
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const stamp =
    `${p(taken.getUTCFullYear(), 4)}${p(taken.getUTCMonth() + 1)}${p(taken.getUTCDate())}_` +
    `${p(taken.getUTCHours())}${p(taken.getUTCMinutes())}${p(taken.getUTCSeconds())}_`;
  const checksum = crc32cHex !== null && crc32cHex.length === 8 ? crc32cHex : "EEEEEEEE";
  return stamp + checksum.toUpperCase();
}

/** `YYYY/MM` of the taken date: the destination folder below originals (and --dest). */
export function yearMonthFolder(taken: Date): string {
  return `${taken.getUTCFullYear().toString().padStart(4, "0")}/${String(taken.getUTCMonth() + 1).padStart(2, "0")}`;
}

const EXIF_DATE = /^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})/;
const OFFSET = /^([+-])(\d{2}):?(\d{2})$/;

/**
 * EXIF DateTimeOriginal (`YYYY:MM:DD HH:MM:SS`) as a UTC instant: with OffsetTimeOriginal the
 * local time is shifted to UTC, without it the wall time is taken as UTC (PhotoPrism's
 * behaviour when the time zone is unknown). Null for blank, all-zero or impossible values.
 */
export function exifDateToUtc(dateTime: string, offset?: string): Date | null {
  const m = EXIF_DATE.exec(dateTime.trim());
  if (m === null) return null;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = validDate(y, mo, d, h, mi, s);
  if (date === null) return null;
  const o = offset === undefined ? null : OFFSET.exec(offset.trim());
  if (o === null) return date;
  const minutes = (Number(o[2]) * 60 + Number(o[3])) * (o[1] === "-" ? -1 : 1);
  return new Date(date.getTime() - minutes * 60_000);
}

function validDate(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): Date | null {
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  date.setUTCFullYear(y); // Date.UTC maps years 0–99 to 1900–1999
  return date;
}

// Date and time in a name: 20180905_184959, 2018-09-05-18-49-59, IMG_20200101_120000123,
// "2019-06-30 10.11.12". Then a date alone: 2018-09-05, 20180905.
const DATE_TIME_IN_NAME =
  /(?:^|[^0-9])((?:19|20)\d{2})[-_.]?(\d{2})[-_.]?(\d{2})[-_. T]{1,2}(\d{2})[-_.:]?(\d{2})[-_.:]?(\d{2})(?:\d{3})?(?!\d)/;
const DATE_IN_NAME = /(?:^|[^0-9])((?:19|20)\d{2})[-_./]?(\d{2})[-_./]?(\d{2})(?:[^0-9]|$)/;

/**
 * A date from a file path (`txt.DateFromFilePath`, simplified): a date-time pattern first,
 * then a date alone (at midnight UTC). Dates before 1990 or in the future are ignored.
 */
export function dateFromFileName(path: string, now: Date = new Date()): Date | null {
  const base = path.slice(path.lastIndexOf("/") + 1);
  const plausible = (date: Date | null): Date | null =>
    date !== null && date.getUTCFullYear() >= 1990 && date.getTime() <= now.getTime() ? date : null;
  for (const text of [base, path]) {
    const full = DATE_TIME_IN_NAME.exec(text);
    if (full !== null) {
      const [y, mo, d, h, mi, s] = full.slice(1, 7).map(Number);
      const date = plausible(validDate(y ?? 0, mo ?? 0, d ?? 0, h, mi, s));
      if (date !== null) return date;
    }
    const day = DATE_IN_NAME.exec(text);
    if (day !== null) {
      const [y, mo, d] = day.slice(1, 4).map(Number);
      const date = plausible(validDate(y ?? 0, mo ?? 0, d ?? 0));
      if (date !== null) return date;
    }
  }
  return null;
}

/** TakenAt's order of sources. */
export function takenAt(exif: Date | null, fileNameDate: Date | null, mtime: Date): Date {
  return exif ?? fileNameDate ?? mtime;
}
