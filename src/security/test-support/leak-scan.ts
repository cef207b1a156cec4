/**
 * The shapes a secret takes on its way out: as is, JSON-escaped, URL-encoded, in base64 (as
 * in a Basic auth header) and base64url. A scan that only looked for the raw value would miss
 * a token that leaked inside an `Authorization` header echoed into a log line.
 */
export function leakForms(secret: string): string[] {
  const forms = new Set([
    secret,
    JSON.stringify(secret).slice(1, -1),
    encodeURIComponent(secret),
    Buffer.from(secret).toString("base64").replace(/=+$/, ""),
    Buffer.from(secret).toString("base64url"),
  ]);
  return [...forms];
}

export interface Leak {
  secret: string;
  form: string;
  where: string;
  excerpt: string;
}

/** Every place where a form of a secret shows up in `texts` (labelled by `where`). */
export function findLeaks(
  texts: Iterable<{ where: string; text: string }>,
  secrets: Record<string, string>,
): Leak[] {
  const leaks: Leak[] = [];
  const needles = Object.entries(secrets).flatMap(([name, value]) =>
    leakForms(value).map((form) => ({ name, form })),
  );
  for (const { where, text } of texts) {
    for (const { name, form } of needles) {
      const at = text.indexOf(form);
      if (at < 0) continue;
      const excerpt = text.slice(Math.max(0, at - 80), at + form.length + 80);
      leaks.push({ secret: name, form, where, excerpt });
    }
  }
  return leaks;
}
