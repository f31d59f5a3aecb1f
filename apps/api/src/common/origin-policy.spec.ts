import { isAllowedOrigin, isCrossSiteRequest } from './origin-policy';

describe('isAllowedOrigin', () => {
  it('allows the origin of the host the request was sent to', () => {
    expect(isAllowedOrigin('http://localhost:8080', 'localhost:8080', [])).toBe(true);
    expect(isAllowedOrigin('http://127.0.0.1:8080', '127.0.0.1:8080', [])).toBe(true);
  });
  it('refuses other origins unless listed', () => {
    expect(isAllowedOrigin('http://evil.test', 'localhost:8080', [])).toBe(false);
    expect(isAllowedOrigin('http://localhost:9999', 'localhost:8080', [])).toBe(false);
    expect(isAllowedOrigin('https://app.example', 'api.example', ['https://app.example'])).toBe(
      true,
    );
  });
  it('refuses garbage', () => {
    expect(isAllowedOrigin('not a url', 'localhost:8080', [])).toBe(false);
  });
});

describe('isCrossSiteRequest', () => {
  it('treats a foreign Origin as cross-site', () => {
    expect(isCrossSiteRequest({ origin: 'http://evil.test', host: 'localhost:8080' }, [])).toBe(
      true,
    );
  });
  it('treats an opaque origin as cross-site', () => {
    expect(isCrossSiteRequest({ origin: 'null', host: 'localhost:8080' }, [])).toBe(true);
  });
  it('uses Sec-Fetch-Site when Origin is absent', () => {
    expect(isCrossSiteRequest({ 'sec-fetch-site': 'cross-site' }, [])).toBe(true);
    expect(isCrossSiteRequest({ 'sec-fetch-site': 'same-origin' }, [])).toBe(false);
  });
  it('lets non-browser clients through', () => {
    expect(isCrossSiteRequest({ host: 'localhost:8080' }, [])).toBe(false);
  });
});
