// @ts-check
// Markdown of the classic scenario (tools/bench/scenarios/classic).
import { summarize } from '../harness.mjs';
import { heading, ms } from './common.mjs';

/** @typedef {import('../harness.mjs').Summary} Summary */

/**
 * @param {any} r  the results object
 * @returns {string} markdown
 */
export function formatClassic(r) {
  const lines = heading(r, 'classic');

  /** @param {string} label @param {Summary} s @param {string} [note] */
  const row = (label, s, note = '') =>
    `| ${label} | ${s.n} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${ms(s.max)} | ${note} |`;
  const head = [
    '| what | n | p50 ms | p95 ms | p99 ms | max ms | note |',
    '|---|---:|---:|---:|---:|---:|---|',
  ];

  lines.push('### Auth', '', ...head);
  lines.push(row('POST /api/signup (sequential)', r.auth.signup));
  lines.push(row('POST /api/login (sequential)', r.auth.login));
  lines.push(row('POST /api/login, wrong password', r.auth.loginWrongPassword));
  lines.push(row('POST /api/login, unknown user', r.auth.loginUnknownUser));
  lines.push(row('GET /api/health, idle', r.auth.healthIdle));
  lines.push(
    row(
      `POST /api/login, ${r.auth.burst.concurrentLogins} at once`,
      r.auth.burst.login,
      `${r.auth.burst.rounds} rounds, burst wall p50 ${ms(r.auth.burst.wallMs.p50)} ms`,
    ),
  );
  const stalls = r.auth.burst.longestHealthStallPerRound
    .map(
      (/** @type {any} */ stall) => `${ms(stall.ms)} ms (sent at +${ms(stall.startedAfterMs)} ms)`,
    )
    .join(', ');
  lines.push(
    row(
      'GET /api/health during the burst',
      r.auth.burst.health,
      `back-to-back; slowest per round: ${stalls}`,
    ),
  );
  lines.push('');

  const s = r.send;
  lines.push('### Send (Socket.IO)', '', ...head);
  const storedSeq = `${s.sequential.storedMessages.before}→${s.sequential.storedMessages.after} messages stored`;
  lines.push(row('ack, sequential sends', s.sequential.ack, storedSeq));
  lines.push(
    row(
      'emit → recipient new_message',
      s.sequential.delivery,
      s.sequential.lost ? `${s.sequential.lost} lost` : '',
    ),
  );
  lines.push(
    row(
      `ack from window start, ${s.concurrentOneConversation.perWindowSends} at once, 1 conversation`,
      s.concurrentOneConversation.ackFromWindowStart,
    ),
  );
  lines.push(
    row(
      `ack from window start, ${s.concurrentSeveralConversations.perWindowSends} at once, ${s.concurrentSeveralConversations.conversations} conversations`,
      s.concurrentSeveralConversations.ackFromWindowStart,
    ),
  );
  lines.push('');
  lines.push(
    '| throughput | windows | msg/s p50 | msg/s min | msg/s max | all acked, ms (p50) | all delivered, ms (p50) | undelivered | seq gap-free |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
  );
  for (const [label, t] of [
    ['1 conversation', s.concurrentOneConversation],
    [
      `${s.concurrentSeveralConversations.conversations} conversations`,
      s.concurrentSeveralConversations,
    ],
  ]) {
    const acked = summarize(t.windows.map((/** @type {any} */ w) => w.ackAllMs)).p50;
    const delivered = summarize(t.windows.map((/** @type {any} */ w) => w.deliveredAllMs)).p50;
    const gapFree = t.windows.every((/** @type {any} */ w) => w.gapFree);
    lines.push(
      `| ${t.perWindowSends} sends at once, ${label} | ${t.windows.length} | ${t.messagesPerSecond.p50.toFixed(0)} | ${t.messagesPerSecond.min.toFixed(0)} | ` +
        `${t.messagesPerSecond.max.toFixed(0)} | ${ms(acked)} | ${ms(delivered)} | ${t.undelivered} | ${gapFree} |`,
    );
  }
  lines.push('');
  const sc = s.sequential.seqCheck;
  lines.push(
    `seq check, sequential conversation: ${sc.acknowledged} acknowledged, ${sc.distinct} distinct, ${sc.first}..${sc.last}, gap-free: ${sc.gapFree}. ` +
      `Each window starts from an emptied conversation. Refused or failed sends: ${s.errors}${s.errors ? ` (${s.errorSamples.join('; ')})` : ''}.`,
    '',
  );

  const h = r.history;
  lines.push(
    `### History (${h.messages} messages in one conversation; seeded ${h.seeding.method}, ${h.seeding.messagesPerSecond.toFixed(0)} msg/s)`,
    '',
  );
  lines.push(
    '| GET …/messages? | matching docs | returned | seqs | p50 ms | p95 ms | max ms |',
    '|---|---:|---:|---|---:|---:|---:|',
  );
  for (const page of h.pages) {
    lines.push(
      `| ${page.query} | ${page.matching} | ${page.returned} | ${page.firstSeq}..${page.lastSeq}${page.hasMore ? ' (more)' : ''} | ${ms(page.latency.p50)} | ${ms(page.latency.p95)} | ${ms(page.latency.max)} |`,
    );
  }
  lines.push('', ...head);
  lines.push(
    row(
      'GET /api/contacts, recipient of the long conversation',
      h.contactsList.recipientOfLongConversation,
    ),
  );
  lines.push(
    row(
      'GET /api/contacts, sender of the long conversation',
      h.contactsList.senderOfLongConversation,
    ),
  );
  const storedNote = `${h.sendAfterSeeding.storedMessages} messages stored`;
  lines.push(
    row(
      'send ack, another (empty) conversation',
      h.sendAfterSeeding.otherConversation.ack,
      storedNote,
    ),
  );
  lines.push(
    row('send ack, the long conversation', h.sendAfterSeeding.longConversation.ack, storedNote),
  );
  lines.push('');
  lines.push(
    `indexes on messages: ${h.explain.indexes.map((/** @type {any} */ i) => `${i.name} ${JSON.stringify(i.key)}${i.unique ? ' unique' : ''}`).join('; ')}`,
    '',
  );
  for (const plan of h.explain.plans) {
    const parts = [];
    if (plan.stages)
      parts.push(
        plan.stages
          .map((/** @type {any} */ st) => st.stage + (st.indexName ? `(${st.indexName})` : ''))
          .join(' ← '),
      );
    if (plan.executionStats)
      parts.push(
        `keys ${plan.executionStats.totalKeysExamined}, docs ${plan.executionStats.totalDocsExamined}, returned ${plan.executionStats.nReturned}`,
      );
    if (plan.pushdown)
      parts.push(
        Object.entries(plan.pushdown)
          .map(([key, value]) => `${key}=${value}`)
          .join(', '),
      );
    if (plan.sqlitePlan) parts.push(`SQLite: ${JSON.stringify(plan.sqlitePlan)}`);
    if (plan.error) parts.push(`error: ${plan.error}`);
    lines.push(`- explain ${plan.label}: ${parts.join('; ')}`);
  }
  lines.push('');

  lines.push('### Memory and CPU of the API process', '');
  lines.push('| checkpoint | RSS MiB |', '|---|---:|');
  for (const [key, value] of Object.entries(r.memoryMiB))
    lines.push(`| ${key} | ${value ?? '–'} |`);
  lines.push('');
  lines.push(
    `idle sockets: ${r.idleSockets.count} connected in ${ms(r.idleSockets.connectAllMs)} ms (${r.idleSockets.connectsPerSecond.toFixed(0)}/s). ` +
      `API CPU: auth ${r.apiCpuMs.authMs} ms, send ${r.apiCpuMs.sendMs} ms (${r.apiCpuMs.sendMsPerMessage} ms per message), history ${r.apiCpuMs.historyMs} ms.`,
    '',
  );
  lines.push(
    '| phase | wall s | API cores | DB cores | bench cores | other work on the machine, cores |',
    '|---|---:|---:|---:|---:|---:|',
  );
  for (const [name, phase] of Object.entries(r.phases)) {
    const c = /** @type {any} */ (phase).cores;
    lines.push(
      `| ${name} | ${/** @type {any} */ (phase).wallSeconds} | ${c.api ?? '–'} | ${c.database ?? '–'} | ${c.bench ?? '–'} | ${c.other ?? '–'} |`,
    );
  }
  lines.push('');
  if (r.apiWarnings.length > 0) {
    lines.push(`API warnings/errors logged: ${r.apiWarnings.length}`, '');
    for (const warning of r.apiWarnings.slice(0, 10))
      lines.push(`- level ${warning.level}: ${warning.msg}`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
