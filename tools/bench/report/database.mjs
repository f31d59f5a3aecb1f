// @ts-check
// Markdown of the database scenarios: round trips per operation with the explain of each
// query (scenarios/round-trips.mjs), latency by stored messages (scenarios/stored.mjs), the
// database's cost per operation (scenarios/engine.mjs).
import { heading, ms } from './common.mjs';

/**
 * @param {any} r
 * @returns {string}
 */
export function formatRoundTrips(r) {
  const lines = heading(r, 'database round trips');
  lines.push(
    `Counted at a TCP proxy between the API and the database (OP_MSG requests, driver housekeeping such as ` +
      `hello/ping/endSessions left out), ${r.settings.samples} samples each, ${r.settings.settleMs} ms quiet after each.`,
    '',
    '| operation | round trips (median) | min | max | what they are (a typical sample) |',
    '|---|---:|---:|---:|---|',
  );
  for (const op of r.operations) {
    const kinds = Object.entries(op.byKind)
      .map(([kind, n]) => `${kind}${Number(n) > 1 ? ` ×${n}` : ''}`)
      .join(', ');
    lines.push(
      `| ${op.label} | ${op.roundTrips.median} | ${op.roundTrips.min} | ${op.roundTrips.max} | ${kinds} |`,
    );
  }
  if (r.background) {
    const kinds = Object.entries(r.background.byKind)
      .map(([kind, n]) => `${kind} ×${n}`)
      .join(', ');
    lines.push(
      '',
      `While idle the API made ${r.background.perSecond} commands/s on its own (${r.background.idleSeconds} s watched: ${kinds || 'none'}); ` +
        'commands of those shapes are left out of the counts above.',
    );
  }
  lines.push('', '| query (shape) | in | explain |', '|---|---|---|');
  for (const q of r.queries) {
    const e = q.explain;
    let plan = 'not explainable (insert, getMore…)';
    if (e.explainable) {
      if (e.error) plan = `error: ${e.error}`;
      else if (e.stages)
        plan = `${e.usesIndex ? 'index' : 'SCAN'}: ${e.stages.map((/** @type {any} */ st) => st.stage + (st.indexName ? `(${st.indexName})` : '')).join(' ← ')}`;
      else if (e.pushdown)
        plan = `FerretDB ${Object.entries(e.pushdown)
          .map(([key, value]) => `${key}=${value}`)
          .join(', ')}${e.sqlitePlan ? `; ${backendPlan(e.sqlitePlan)}` : ''}`;
      else plan = (e.raw ?? '').slice(0, 120);
    }
    lines.push(
      `| \`${q.query.replaceAll('|', '\\|')}\` | ${q.operations.length} op(s) | ${plan.replaceAll('|', '\\|')} |`,
    );
  }
  lines.push('');
  return `${lines.join('\n')}\n`;
}

/**
 * @param {any} r
 * @returns {string}
 */
export function formatStored(r) {
  const lines = heading(r, 'latency by stored messages');
  lines.push(
    `One user with ${r.settings.sizes ? r.runs[0]?.contacts : '?'} contacts; the stored messages spread evenly over their ` +
      `conversations, seeded straight into the database. Sequential requests; each loop bounded by ` +
      `${r.settings.budgetMs / 1000} s (at least ${r.settings.minSamples} samples).`,
    '',
    '| engine | stored | send ack p50 / p99 ms (n) | resend ack p50 / p99 ms (n) | history page p50 / p99 ms (n) | contacts list p50 / p99 ms (n) |',
    '|---|---:|---:|---:|---:|---:|',
  );
  for (const run of r.runs) {
    for (const level of run.levels) {
      const cell = (/** @type {any} */ s) => `${ms(s.p50)} / ${ms(s.p99)} (${s.n})`;
      lines.push(
        `| ${run.database.description} (${run.engine}) | ${level.storedMessages} | ${cell(level.sendAckMs)}${level.sendErrors ? `, ${level.sendErrors} errors` : ''} | ` +
          `${level.resendAckMs ? cell(level.resendAckMs) : '–'} | ${cell(level.historyPageMs)} | ${cell(level.contactsListMs)}${level.failures?.length ? `, ${level.failures.length} timed out` : ''} |`,
      );
    }
  }
  for (const run of r.runs)
    if (run.skippedSizes?.length)
      lines.push(
        '',
        `${run.engine}: not measured at ${run.skippedSizes.join(', ')} (a request at a smaller size already outlasted the client's timeout).`,
      );
  lines.push('');
  return `${lines.join('\n')}\n`;
}

/**
 * FerretDB's backend plan in a few words: SQLite's plan lines, or the node types (and index)
 * of PostgreSQL's plan tree.
 * @param {any} plan
 */
function backendPlan(plan) {
  if (Array.isArray(plan))
    return `SQLite ${plan.map((line) => String(line).replace(/^id=\d+ parent=\d+ notused=\d+ detail=/, '')).join('; ')}`;
  if (plan && typeof plan === 'object') {
    /** @type {string[]} */
    const nodes = [];
    /** @param {any} node */
    const walk = (node) => {
      if (!node || typeof node !== 'object') return;
      nodes.push(
        `${node['Node Type']}${node['Index Name'] ? ` (${node['Index Name']})` : ''}${node.Filter ? ' with filter' : ''}`,
      );
      for (const child of node.Plans ?? []) walk(child);
    };
    walk(plan);
    return `PostgreSQL ${nodes.join(' ← ')}`;
  }
  return String(plan).slice(0, 120);
}

/**
 * What the explain of an operation says in a word or two: FerretDB's pushdown flags that are
 * set (`filter`, `limit`…, or `none`: evaluated in FerretDB), MongoDB's plan stages.
 * @param {any} explain  summarizeExplain() output, or null where nothing is explained
 */
export function pushdownOf(explain) {
  if (!explain) return '–';
  if (explain.error) return 'explain failed';
  if (explain.pushdown) {
    const set = Object.entries(explain.pushdown)
      .filter(([, value]) => value === true)
      .map(([key]) => key.replace(/Pushdown$/, ''));
    return set.length ? set.join(', ') : 'none';
  }
  if (explain.stages) return explain.stages.map((/** @type {any} */ s) => s.stage).join(' ← ');
  return '?';
}

/**
 * The engine scenario as one table: an operation a row; per engine and collection size the
 * database CPU per operation and the wall p50, and per engine what its explain pushes down.
 * @param {any} r
 * @returns {string}
 */
export function formatEngine(r) {
  const lines = heading(r, 'what the database charges per operation');
  const s = r.settings;
  /** @type {{ engine: string, levels: any[] }[]} */
  const runs = r.runs;
  /** @type {{ run: (typeof runs)[number], size: number }[]} */
  const columns = runs.flatMap((run) =>
    s.sizes.map((/** @type {number} */ size) => ({ run, size })),
  );
  lines.push(
    `Driver calls one after another, no API. ${s.messages} messages stored; the conversations ` +
      `counts are the column heads. Each cell: database CPU ms per operation (FerretDB plus its ` +
      `PostgreSQL backends) / wall p50 ms (n); at most ${s.count} calls or ${s.budgetMs / 1000} s per cell.`,
    '',
    `| operation | ${columns.map((c) => `${c.run.engine} ${c.size}`).join(' | ')} | ${runs.map((run) => `pushdown ${run.engine}`).join(' | ')} |`,
    `|---|${columns.map(() => '---:').join('|')}|${runs.map(() => '---').join('|')}|`,
  );
  const keys = [...new Set(runs.flatMap((run) => run.levels.map((level) => level.key)))];
  for (const key of keys) {
    /** @param {(typeof runs)[number]} run @param {number} [size] */
    const find = (run, size) =>
      run.levels.find((l) => l.key === key && (size === undefined || l.conversations === size));
    const cells = columns.map(({ run, size }) => {
      const level = find(run, size);
      return level
        ? `${ms(level.databaseCpuMsPerOperation)} / ${ms(level.wallMs.p50)} (${level.n})`
        : '–';
    });
    const largest = s.sizes[s.sizes.length - 1];
    const pushdown = runs.map((run) => pushdownOf(find(run, largest)?.explain));
    lines.push(
      `| ${find(runs[0])?.label ?? key} | ${cells.join(' | ')} | ${pushdown.join(' | ')} |`,
    );
  }
  lines.push('');
  return `${lines.join('\n')}\n`;
}
