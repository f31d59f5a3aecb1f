import request from 'supertest';
import { bearer, connectSocket, refreshCookieFrom, signup, uniqueName, waitForDisconnect } from './support/clients';
import { createTestApp, dropDatabase, TestApp } from './support/test-app';

describe('accounts and sessions', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ label: 'auth' });
  });
  afterAll(async () => {
    await dropDatabase(t);
    await t.close();
  });

  it('signs up, reads /me, and stores a bcrypt cost-12 hash', async () => {
    const user = await signup(t.url);
    const me = await request(t.url).get('/api/me').set(bearer(user)).expect(200);
    expect(me.body).toEqual({ user: { id: user.id, username: user.username, createdAt: expect.any(String) } });
    const stored = await t.db.collection('users').findOne({ usernameLower: user.username.toLowerCase() });
    expect(stored?.passwordHash).toMatch(/^\$2[aby]\$12\$/);
    expect(JSON.stringify(me.body)).not.toContain('passwordHash');
  });

  it('refuses bad JSON with 400 BAD_JSON', async () => {
    const response = await request(t.url)
      .post('/api/login')
      .set('Content-Type', 'application/json')
      .send('{bad')
      .expect(400);
    expect(response.body).toMatchObject({ statusCode: 400, code: 'BAD_JSON' });
  });

  it('revoking a session closes its live socket', async () => {
    const user = await signup(t.url);
    const socket = await connectSocket(t.url, user.accessToken);
    const sessions = await request(t.url).get('/api/sessions').set(bearer(user)).expect(200);
    const current = sessions.body.sessions.find((s: { current: boolean }) => s.current);
    const other = await request(t.url).post('/api/login').send({ username: user.username, password: user.password }).expect(200);
    await request(t.url).delete(`/api/sessions/${current.id}`).set(bearer(other.body)).expect(204);
    await waitForDisconnect(socket, 1000);
    await request(t.url).get('/api/me').set(bearer(user)).expect(401);
    expect(refreshCookieFrom(other)).toMatch(/^natter_refresh=/);
    expect(uniqueName()).toBeTruthy();
  });
});
