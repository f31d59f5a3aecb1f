import 'reflect-metadata';
import { matchesEtag } from './media.controller';

describe('matchesEtag', () => {
  const etag = `"${'ab'.repeat(32)}"`;
  it('matches the exact tag, a list containing it, a weak form of it, and *', () => {
    expect(matchesEtag(etag, etag)).toBe(true);
    expect(matchesEtag(`"other", ${etag}`, etag)).toBe(true);
    expect(matchesEtag(`W/${etag}`, etag)).toBe(true);
    expect(matchesEtag(' * ', etag)).toBe(true);
  });
  it('does not match absent, different or unquoted tags', () => {
    expect(matchesEtag(undefined, etag)).toBe(false);
    expect(matchesEtag('', etag)).toBe(false);
    expect(matchesEtag('"other"', etag)).toBe(false);
    expect(matchesEtag(etag.slice(1, -1), etag)).toBe(false);
  });
});
