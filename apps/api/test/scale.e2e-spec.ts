import type { Ack, HistoryResponse, MessageInfo } from '@natter/contracts';
import mongoose from 'mongoose';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { io } from 'socket.io-client';
import request from 'supertest';
// The load balancer of `npm run scale-local` (a plain Node tool, not a library project).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { RunningProxy, startProxy } from '../../../tools/scale/proxy.cjs';
import { ApiProcess, buildApi, startApiProcess } from './support/api-process';
import { freePort } from './support/free-port';
import { bearer, ClientSocket, nextEvent, signup, sleep, TestUser } from './support/clients';
import { befriend, newClientId, sendText } from './support/messaging';
import { scrape } from './support/metrics';
import { uniqueDatabaseUri } from './support/test-app';

/**
 * Two real API processes (the built API) on one database and one Redis, behind the local
 * proxy (tools/scale/proxy.cjs) as behind nginx in docker/docker-compose.scale.yml. One of
 * them gets SIGTERM in the middle of a stream of sends.
 */
describe('two API processes behind a proxy', () => {
  let one: ApiProcess;
  let two: ApiProcess;
  let proxy: RunningProxy;
  let db: mongoose.Connection;
  let twoMetricsUrl: string;
  const routes: { kind: string; url: string; target: string }[] = [];
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    buildApi();
    const databaseUri = uniqueDatabaseUri('scale');
    const env = {
      MONGODB_URI: databaseUri,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: `t${randomBytes(4).toString('hex')}:`,
    };
    // One after the other: both build the same indexes at boot.
    one = await startApiProcess(env);
    const metricsPort = await freePort();
    two = await startApiProcess({ ...env, METRICS_PORT: String(metricsPort) });
    twoMetricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    proxy = await startProxy({
      targets: [one.url, two.url],
      onRoute: (route) => routes.push(route),
    });
    db = await mongoose.createConnection(databaseUri).asPromise();
  }, 180_000);

  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    await proxy?.close();
    one?.kill();
    two?.kill();
    await db?.dropDatabase().catch(() => undefined);
    await db?.close();
  });

  /**
   * Connects through the proxy until the socket lands on `api` (the proxy takes turns). The
   * socket reconnects by itself, through the proxy, when its connection drops.
   */
  async function connectOn(api: ApiProcess, user: TestUser): Promise<ClientSocket> {
    for (let attempt = 0; attempt < 6; attempt++) {
      const tag = randomBytes(6).toString('hex');
      const socket: ClientSocket = io(proxy.url, {
        auth: { token: user.accessToken },
        transports: ['websocket'],
        forceNew: true,
        query: { tag },
        reconnectionDelay: 100,
        reconnectionDelayMax: 500,
      });
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      const landed = routes.findLast((route) => route.url.includes(`tag=${tag}`))?.target;
      if (landed === api.url) {
        sockets.push(socket);
        return socket;
      }
      socket.close();
    }
    throw new Error(`could not land a socket on ${api.url}`);
  }

  const friends = async () => {
    const a = await signup(proxy.url);
    const b = await signup(proxy.url);
    await befriend(proxy.url, a, b);
    return [a, b] as const;
  };

  it('clients on either process talk live', async () => {
    const [alice, bob] = await friends();
    const aliceOnOne = await connectOn(one, alice);
    const bobOnTwo = await connectOn(two, bob);
    const toBob = nextEvent(bobOnTwo, 'new_message');
    const sent = await sendText(aliceOnOne, bob.id, 'from process one');
    expect((await toBob).message).toEqual(sent);
    const toAlice = nextEvent(aliceOnOne, 'new_message');
    const reply = await sendText(bobOnTwo, alice.id, 'from process two');
    expect((await toAlice).message).toEqual(reply);
  });

  it('SIGTERM to one process during a stream of sends loses and duplicates nothing', async () => {
    const PER_STREAM = 60;
    const WINDOW = 4;
    // alice (on the process that stops) sends to bob (on the other); dave (on the other)
    // sends to carol (on the process that stops), who must catch up after her reconnect.
    const [alice, bob] = await friends();
    const [carol, dave] = await friends();
    const aliceSocket = await connectOn(one, alice);
    await connectOn(two, bob);
    const carolSocket = await connectOn(one, carol);
    const daveSocket = await connectOn(two, dave);

    // carol keeps what reached her: live events, and a catch-up after every reconnect.
    const carolSeqs = new Set<number>();
    let carolCatchUps = 0;
    carolSocket.on('new_message', ({ message }) => carolSeqs.add(message.seq));
    carolSocket.io.on('reconnect', () => {
      const after = Math.max(0, ...carolSeqs);
      void request(proxy.url)
        .get(`/api/conversations/${dave.id}/messages?after=${after}&limit=100`)
        .set(bearer(carol))
        .then((response) => {
          (response.body as HistoryResponse).messages.forEach((m) => carolSeqs.add(m.seq));
          carolCatchUps++;
        });
    });

    let stopAt: number | null = null;
    let reconnectedAt: number | null = null;
    aliceSocket.io.once('reconnect', () => (reconnectedAt = performance.now()));
    const stats: StreamStats = { sends: 0, timeouts: 0, refused: 0, lostAcks: 0 };
    const stream = (socket: ClientSocket, recipientId: string) =>
      sendStream(socket, recipientId, PER_STREAM, WINDOW, stats, (acked) => {
        // Stop process one a third of the way in, while sends are in flight.
        if (stopAt === null && acked === Math.floor(PER_STREAM / 3)) {
          stopAt = performance.now();
          one.child.kill('SIGTERM');
        }
      });
    const [fromAlice, fromDave] = await Promise.all([
      stream(aliceSocket, bob.id),
      stream(daveSocket, carol.id),
    ]);

    // Process one shut down by itself (no SIGKILL), after finishing what it had received.
    expect(await one.exited).toBe('SIGTERM');
    expect(one.output()).toMatch(/Shutting down on SIGTERM/);
    expect(stopAt).not.toBeNull();
    expect(reconnectedAt).not.toBeNull();
    const shutdownLog = one.output().match(/Shutting down on SIGTERM[^"]*/)?.[0] ?? '';
    expect(shutdownLog).toMatch(/, 0 unanswered,/);
    // What process one received before it stopped was answered, not left for a resend.
    expect(stats.lostAcks).toBe(0);
    expect(stats.refused).toBe(0);

    for (const [acked, sender] of [
      [fromAlice, alice],
      [fromDave, dave],
    ] as const) {
      // Every message was acknowledged once it was stored, exactly once, gap-free.
      expect(acked.size).toBe(PER_STREAM);
      const stored = await db
        .collection('messages')
        .find({ senderId: new mongoose.Types.ObjectId(sender.id) })
        .toArray();
      expect(stored).toHaveLength(PER_STREAM);
      expect(new Set(stored.map((doc) => doc.clientId)).size).toBe(PER_STREAM);
      for (const doc of stored) expect(acked.get(doc.clientId as string)?.seq).toBe(doc.seq);
      const seqs = stored.map((doc) => doc.seq as number).sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: PER_STREAM }, (_, i) => i + 1));
    }

    // carol reconnected through the proxy and caught up with everything dave sent.
    await waitFor(() => carolSeqs.size === PER_STREAM && carolCatchUps > 0, 10_000);
    expect([...carolSeqs].sort((a, b) => a - b)).toEqual(
      Array.from({ length: PER_STREAM }, (_, i) => i + 1),
    );
    expect(proxy.up()).toEqual([two.url]);

    const figures = {
      streams: 2,
      messagesPerStream: PER_STREAM,
      sendsEmitted: stats.sends,
      unackedResent: stats.timeouts,
      refusedAcks: stats.refused,
      lostAcks: stats.lostAcks,
      acked: fromAlice.size + fromDave.size,
      stored: PER_STREAM * 2,
      reconnectMs: Math.round((reconnectedAt! as number) - (stopAt! as number)),
      shutdownLog,
      metricsOfTheOtherProcess: (await scrape(twoMetricsUrl)).text
        .split('\n')
        .filter((line) =>
          /^natter_(messages|sockets|socket_events|deliveries)|_count\{/.test(line),
        ),
    };
    if (process.env.NATTER_SCALE_FIGURES) {
      writeFileSync(process.env.NATTER_SCALE_FIGURES, JSON.stringify(figures, null, 2));
    }
  }, 120_000);
});

interface StreamStats {
  /** Every emit of a send, first attempts and resends. */
  sends: number;
  /** Sends without an ack: its connection dropped, or 10 s passed (the web client's timeout). */
  timeouts: number;
  refused: number;
  /**
   * Resends answered with a message stored before the resend: an earlier attempt was stored
   * but its ack never reached the client. A graceful shutdown answers what it received.
   */
  lostAcks: number;
}

/**
 * Sends `count` messages with at most `window` waiting for their ack, like a busy client.
 * A send whose ack does not come (its process stopped) is sent again with the same clientId
 * once the socket is connected again. Resolves with the acked messages by clientId.
 */
async function sendStream(
  socket: ClientSocket,
  recipientId: string,
  count: number,
  window: number,
  stats: StreamStats,
  onAcked: (acked: number) => void,
): Promise<Map<string, MessageInfo>> {
  const acked = new Map<string, MessageInfo>();
  let next = 0;
  const sendOne = async (index: number) => {
    const clientId = newClientId();
    for (let attempt = 1; ; attempt++) {
      if (!socket.connected) await new Promise<void>((resolve) => socket.once('connect', resolve));
      stats.sends++;
      const emittedAt = Date.now();
      try {
        const ack = (await socket.timeout(10_000).emitWithAck('send_private_message', {
          recipientId,
          clientId,
          text: `m${index}`,
        })) as Ack<{
          message: MessageInfo;
        }>;
        if (ack.ok) {
          if (attempt > 1 && Date.parse(ack.message.createdAt) < emittedAt) stats.lostAcks++;
          acked.set(clientId, ack.message);
          onAcked(acked.size);
          return;
        }
        stats.refused++;
      } catch {
        // Timed out, or the connection dropped before the ack came.
        stats.timeouts++;
      }
      await sleep(50);
    }
  };
  const worker = async () => {
    while (next < count) await sendOne(next++);
  };
  await Promise.all(Array.from({ length: window }, worker));
  return acked;
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await sleep(50);
}
