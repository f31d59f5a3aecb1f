/**
 * Which parts of a message become links. linkifyjs finds the candidates; these rules keep
 * only plain web addresses that say what they are, so nothing else turns into markup.
 */

/** Punycode label: an internationalised host, which can imitate another (аpple.com). */
const PUNYCODE_LABEL = /(^|\.)xn--/i;

/**
 * The safe href for a candidate, or null when it must stay text: only an explicit
 * `http://` or `https://` address, without credentials (`https://bank.com@evil.example`),
 * whose host is plain ASCII (no look-alike letters from other scripts).
 */
export function safeHref(candidate: string): string | null {
  if (!/^https?:\/\//i.test(candidate)) return null;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password) return null;
  if (!url.hostname || PUNYCODE_LABEL.test(url.hostname)) return null;
  // The written host must be the parsed one (no backslash or encoded tricks in the authority).
  const written = candidate
    .slice(candidate.indexOf('//') + 2)
    .split(/[/?#]/, 1)[0]
    .toLowerCase();
  if (written !== url.host && written !== `${url.host}:${url.protocol === 'https:' ? 443 : 80}`)
    return null;
  return url.href;
}
