import request from 'supertest';
import { runAdminCommand } from '../src/modules/admin/admin-commands';
import { bearer, connectSocket, signup, waitForDisconnect } from './support/clients';
import { befriend, sendText } from './support/messaging';
import { createTestApp, dropDatabase, TestApp } from './support/test-app';
import { freshCode } from './support/totp';

describe('administration commands', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ label: 'admin' });
  });
  afterAll(async () => {
    await dropDatabase(t);
    await t.close();
  });

  async function admin(...argv: string[]): Promise<{ code: number; output: string }> {
    const lines: string[] = [];
    const code = await runAdminCommand(t.app, argv, (...parts) => lines.push(parts.join('\t')));
    return { code, output: lines.join('\n') };
  }

  it('lists, finds and reports on users', async () => {
    const alice = await signup(t.url);
    const bob = await signup(t.url);
    await befriend(t.url, alice, bob);
    const socket = await connectSocket(t.url, alice.accessToken);
    await sendText(socket, bob.id, 'one');
    socket.close();

    expect((await admin('list')).output).toContain(alice.username);
    expect((await admin('find', alice.username.slice(0, 8))).output).toContain(alice.username);
    const stats = await admin('stats', alice.username);
    expect(stats.code).toBe(0);
    expect(stats.output).toMatch(/contacts\t1/);
    expect(stats.output).toMatch(/messages sent\t1/);
    await expect(admin('stats', 'nobody-at-all')).rejects.toThrow('no user named');
  });

  it('resets a password and signs the user out everywhere', async () => {
    const user = await signup(t.url);
    const socket = await connectSocket(t.url, user.accessToken);
    const result = await admin('reset-password', user.username, '--password', 'admin chosen pw');
    expect(result.code).toBe(0);
    await waitForDisconnect(socket, 1000);
    await request(t.url).get('/api/me').set(bearer(user)).expect(401);
    await request(t.url)
      .post('/api/login')
      .send({ username: user.username, password: 'admin chosen pw' })
      .expect(200);
  });

  it('deletes a user only with --yes, with all their data', async () => {
    const user = await signup(t.url);
    const friend = await signup(t.url);
    await befriend(t.url, user, friend);
    await expect(admin('delete', user.username)).rejects.toThrow('without --yes');
    await request(t.url).get('/api/me').set(bearer(user)).expect(200);
    expect((await admin('delete', user.username, '--yes')).code).toBe(0);
    await request(t.url).get('/api/me').set(bearer(user)).expect(401);
    const contacts = await request(t.url).get('/api/contacts').set(bearer(friend)).expect(200);
    expect(contacts.body.contacts).toEqual([]);
  });

  it('turns two-factor sign-in off for a user who lost their authenticator', async () => {
    const user = await signup(t.url);
    const setup = await request(t.url).post('/api/2fa/setup').set(bearer(user)).expect(200);
    await request(t.url)
      .post('/api/2fa/enable')
      .set(bearer(user))
      .send({ code: await freshCode(setup.body.secret, new Set()) })
      .expect(200);
    const socket = await connectSocket(t.url, user.accessToken);
    const login = { username: user.username, password: user.password };
    const before = await request(t.url).post('/api/login').send(login).expect(200);
    expect(before.body.twoFactorRequired).toBe(true);

    const result = await admin('disable-2fa', user.username);
    expect(result).toEqual({ code: 0, output: expect.stringContaining('turned off') });
    await waitForDisconnect(socket, 2000);
    await request(t.url).get('/api/me').set(bearer(user)).expect(401);
    const after = await request(t.url).post('/api/login').send(login).expect(200);
    expect(after.body.accessToken).toEqual(expect.any(String));
    expect(after.body.user.twoFactorEnabled).toBe(false);
    expect((await admin('disable-2fa', user.username)).code).toBe(1);
  });

  it('prints usage for no or unknown commands', async () => {
    expect((await admin()).code).toBe(1);
    expect((await admin('explode')).output).toContain('unknown command');
  });
});
