import { AppConfig } from '../../config/app-config';
import { EnvironmentVariables } from '../../config/env.schema';
import type { ChangeFeed } from '../change-feed/change-feed.service';
import { REVOKED_SESSIONS_MAX, RevokedSessions } from './revoked-sessions';

function setup() {
  const handlers: ((payload: { userId: string; sessionIds: string[] }) => void)[] = [];
  const feed = {
    subscribe: (_kind: string, handler: (typeof handlers)[0]) => handlers.push(handler),
  };
  const env = Object.assign(new EnvironmentVariables(), {
    JWT_SECRET: 'x'.repeat(40),
    ACCESS_TOKEN_TTL_SECONDS: 900,
  });
  const sut = new RevokedSessions(feed as unknown as ChangeFeed, new AppConfig(env));
  sut.onModuleInit();
  return { sut, handlers };
}

describe(RevokedSessions.name, () => {
  it('learns revoked sessions from the change feed', () => {
    const { sut, handlers } = setup();
    expect(sut.has('s1')).toBe(false);
    handlers[0]({ userId: 'u', sessionIds: ['s1', 's2'] });
    expect(sut.has('s1')).toBe(true);
    expect(sut.has('s2')).toBe(true);
    expect(sut.has('s3')).toBe(false);
  });

  it('forgets an id once no socket of that session can still be alive', () => {
    const { sut } = setup();
    const start = Date.now();
    sut.add(['old'], start);
    sut.add(['new'], start + 900_000);
    expect(sut.has('old')).toBe(true);
    sut.add(['newer'], start + 961_000);
    expect(sut.has('old')).toBe(false);
    expect(sut.has('new')).toBe(true);
  });

  it('never holds more than its bound', () => {
    const { sut } = setup();
    const now = Date.now();
    for (let i = 0; i < REVOKED_SESSIONS_MAX + 10; i += 1000) {
      sut.add(
        Array.from({ length: 1000 }, (_, j) => `s${i + j}`),
        now,
      );
    }
    expect(sut.size).toBeLessThanOrEqual(REVOKED_SESSIONS_MAX);
    expect(sut.has(`s${REVOKED_SESSIONS_MAX + 9}`)).toBe(true);
    expect(sut.has('s0')).toBe(false);
  });
});
