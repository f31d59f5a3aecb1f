// @ts-check
// Classic scenario, part 1: signup and login latency (bcrypt cost 12 on the thread pool),
// and whether GET /api/health stays responsive during a burst of concurrent logins.
import { performance } from 'node:perf_hooks';
import { request, sleep, summarize, timed } from '../../harness.mjs';
import { PASSWORD, login, signup } from '../../users.mjs';

/** @typedef {import('../../users.mjs').BenchUser} BenchUser */
/** @typedef {import('./index.mjs').ClassicCtx} Ctx */

const round = (/** @type {number} */ value) => Math.round(value * 100) / 100;

/** @param {Ctx} ctx */
export async function benchAuth(ctx) {
  const { profile } = ctx;
  /** @type {BenchUser[]} */
  const users = [];
  /** @type {number[]} */
  const signupMs = [];
  for (let i = 0; i < profile.signups; i++) {
    const { ms, value } = await timed(() => signup(ctx));
    signupMs.push(ms);
    users.push(value);
  }
  const loginUser = users[users.length - 1];

  await login(ctx, loginUser.username); // warm-up
  /** @type {number[]} */
  const loginMs = [];
  for (let i = 0; i < profile.logins; i++) loginMs.push((await login(ctx, loginUser.username)).ms);

  // A wrong password costs the same bcrypt compare; measured to show the timing is alike.
  /** @type {number[]} */
  const wrongPasswordMs = [];
  for (let i = 0; i < Math.min(10, profile.logins); i++) {
    const result = await request(ctx.url, 'POST', '/api/login', {
      body: { username: loginUser.username, password: `${PASSWORD}!` },
      expect: 401,
    });
    wrongPasswordMs.push(result.ms);
  }

  // Unknown users are compared against a dummy hash: the same cost again (SPEC §4).
  /** @type {number[]} */
  const unknownUserMs = [];
  for (let i = 0; i < Math.min(10, profile.logins); i++) {
    const result = await request(ctx.url, 'POST', '/api/login', {
      body: { username: `bn${ctx.runTag}nobody${i}`, password: PASSWORD },
      expect: 401,
    });
    unknownUserMs.push(result.ms);
  }

  /** @type {number[]} */
  const healthIdle = [];
  for (let i = 0; i < profile.healthBaseline; i++)
    healthIdle.push((await request(ctx.url, 'GET', '/api/health', { expect: 200 })).ms);

  /** @type {number[]} */
  const burstHealth = [];
  /** @type {number[]} */
  const burstLogin = [];
  /** @type {number[]} */
  const burstWall = [];
  /** @type {{ ms: number, startedAfterMs: number }[]} */
  const longestStalls = [];
  for (let burstRound = 0; burstRound < profile.bursts; burstRound++) {
    let done = false;
    /** @type {{ ms: number, startedAfterMs: number }} */
    let longest = { ms: 0, startedAfterMs: 0 };
    let burstStart = performance.now();
    // Sequential health checks back to back for as long as the burst lasts.
    const poller = (async () => {
      while (!done) {
        const startedAfterMs = performance.now() - burstStart;
        const { ms } = await request(ctx.url, 'GET', '/api/health', { expect: 200 });
        burstHealth.push(ms);
        if (ms > longest.ms) longest = { ms: round(ms), startedAfterMs: round(startedAfterMs) };
      }
    })();
    await sleep(20);
    burstStart = performance.now();
    const burst = await timed(() =>
      Promise.all(Array.from({ length: profile.burstSize }, () => login(ctx, loginUser.username))),
    );
    done = true;
    await poller;
    burstWall.push(burst.ms);
    burstLogin.push(...burst.value.map((result) => result.ms));
    longestStalls.push(longest);
    await sleep(300);
  }

  return {
    users,
    figures: {
      signup: summarize(signupMs),
      login: summarize(loginMs),
      loginWrongPassword: summarize(wrongPasswordMs),
      loginUnknownUser: summarize(unknownUserMs),
      healthIdle: summarize(healthIdle),
      burst: {
        concurrentLogins: profile.burstSize,
        rounds: profile.bursts,
        wallMs: summarize(burstWall),
        login: summarize(burstLogin),
        health: summarize(burstHealth),
        // The slowest health check of each round, and when it started relative to the burst
        // (negative: just before the logins were sent).
        longestHealthStallPerRound: longestStalls,
      },
    },
  };
}
