/** The tab title and favicon carry the total unread count, so a background tab shows it. */

export function unreadTitle(total: number): string {
  return total > 0 ? `(${total > 99 ? '99+' : total}) Natter` : 'Natter';
}

const BASE_ICON = '/favicon.svg';

/** The app icon with a red count badge, as an SVG data URL (no canvas needed). */
export function badgedFaviconUrl(total: number): string {
  const label = total > 99 ? '99+' : String(total);
  const fontSize = label.length > 2 ? 26 : label.length > 1 ? 32 : 38;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">` +
    `<rect width="64" height="64" rx="14" fill="#4f46e5"/>` +
    `<path d="M16 20h32a4 4 0 0 1 4 4v16a4 4 0 0 1-4 4H30l-10 8v-8h-4a4 4 0 0 1-4-4V24a4 4 0 0 1 4-4z" fill="#fff"/>` +
    `<circle cx="46" cy="18" r="18" fill="#e0245e"/>` +
    `<text x="46" y="19" text-anchor="middle" dominant-baseline="central" font-family="Arial,sans-serif" font-weight="700" font-size="${fontSize}" fill="#fff">${label}</text>` +
    `</svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

export function faviconHref(total: number): string {
  return total > 0 ? badgedFaviconUrl(total) : BASE_ICON;
}

export function applyUnreadIndicators(total: number): void {
  document.title = unreadTitle(total);
  let link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
  if (!link) {
    link = document.createElement('link');
    link.rel = 'icon';
    document.head.appendChild(link);
  }
  link.type = 'image/svg+xml';
  link.href = faviconHref(total);
  link.dataset.unread = String(total);
}
