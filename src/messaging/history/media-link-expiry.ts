/**
 * When a Meta CDN link stops working, as the link itself says: Meta's
 * `scontent` links carry `oe`, the expiry in epoch seconds as hex. Other
 * links (the `lookaside.fbsbx.com` messaging CDN) say nothing; they too
 * expire within days, so null means "unknown", never "never".
 */
export function mediaLinkExpiresAt(url: string | null): Date | null {
  if (url === null) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const oe = parsed.searchParams.get('oe');
  if (oe === null || !/^[0-9a-f]{1,12}$/i.test(oe)) return null;
  return new Date(parseInt(oe, 16) * 1000);
}
