import { Types } from 'mongoose';
import type { ChangeEvents } from '../src/modules/change-feed/change-events';
import { ChangeFeed } from '../src/modules/change-feed/change-feed.service';
import { createTestApp, dropDatabase, TestApp, uniqueDatabaseUri } from './support/test-app';

/** Two API processes on one database and no Redis: the database carries changes between them. */
describe('change feed across two API processes without Redis', () => {
  let one: TestApp;
  let two: TestApp;

  beforeAll(async () => {
    const databaseUri = uniqueDatabaseUri('changefeed');
    one = await createTestApp({ label: 'changefeed', databaseUri });
    two = await createTestApp({ label: 'changefeed', databaseUri });
  });
  afterAll(async () => {
    await dropDatabase(one);
    await one.close();
    await two.close();
  });

  const record = (app: TestApp) => {
    const seen: ChangeEvents['sessions.revoked'][] = [];
    app.app.get(ChangeFeed).subscribe('sessions.revoked', (payload) => {
      seen.push(payload);
    });
    return seen;
  };

  const until = async (check: () => boolean, ms: number) => {
    const deadline = Date.now() + ms;
    while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return check();
  };

  it('applies a change on the publishing process at once and on the other within a second or so', async () => {
    const onOne = record(one);
    const onTwo = record(two);
    const payload = { userId: new Types.ObjectId().toHexString(), sessionIds: ['s1', 's2'] };
    const published = Date.now();
    await one.app.get(ChangeFeed).publish('sessions.revoked', payload);
    expect(onOne).toEqual([payload]);
    expect(await until(() => onTwo.length > 0, 3000)).toBe(true);
    // Polled every 500 ms; the margin is for a loaded machine, not a speed target.
    expect(Date.now() - published).toBeLessThan(3000);
    expect(onTwo).toEqual([payload]);
    // Neither process applies the same change twice on later polls.
    await new Promise((r) => setTimeout(r, 1200));
    expect(onOne).toHaveLength(1);
    expect(onTwo).toHaveLength(1);
  });

  it('delivers every change of a burst exactly once, in any order', async () => {
    const onTwo = record(two);
    const feed = one.app.get(ChangeFeed);
    const ids = Array.from({ length: 20 }, (_, i) => `burst-${i}`);
    await Promise.all(
      ids.map((id) => feed.publish('sessions.revoked', { userId: id, sessionIds: [id] })),
    );
    expect(await until(() => onTwo.length >= ids.length, 4000)).toBe(true);
    await new Promise((r) => setTimeout(r, 800));
    expect(onTwo.map((p) => p.userId).sort()).toEqual([...ids].sort());
  });
});
