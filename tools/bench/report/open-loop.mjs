// @ts-check
// Markdown of the open-loop scenario (tools/bench/scenarios/open-loop.mjs).
import { heading, ms } from './common.mjs';

/**
 * @param {any} r
 * @returns {string}
 */
export function formatOpenLoop(r) {
  const lines = heading(r, 'open loop');
  const s = r.settings;
  lines.push(
    `${s.pairs} contact pairs (one sender each), ${s.stepSeconds} s per step, the total rate spread ` +
      `evenly over the senders on a clock (open loop). API and database pinned to core 0, load ` +
      `generator to core 1${Object.values(r.pinning).some(Boolean) ? ` (pinning problems: ${JSON.stringify(r.pinning)})` : ''}. ` +
      `Latencies from the scheduled emit time. A step passes with every send acked ok, nothing lost or ` +
      `duplicated and delivery p99 < ${r.deliveryP99TargetMs} ms.`,
    '',
    `**Sustainable rate: ${r.sustainableRate === null ? `none (below ${s.rates[0]} msg/s)` : `${r.sustainableRate} msg/s`}**; ` +
      `peak delivered ${r.peakDeliveredPerSecond} msg/s.`,
    '',
    '| offered msg/s | delivered msg/s (in step) | ack p50 / p99 ms | delivery p50 / p99 ms | ok acks | error acks | unanswered | lost | dup | CPU-ms per 1k deliveries, API / DB | stored in step | CPU-ms per 1k stored, API / DB | settled after s | result |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  );
  for (const step of r.steps) {
    const errors = Object.entries(step.errorCodes)
      .map(([code, n]) => `${code} ${n}`)
      .join(', ');
    lines.push(
      `| ${step.offeredPerSecond} (${step.rate}) | ${step.deliveredPerSecond} | ${ms(step.ackMs.p50)} / ${ms(step.ackMs.p99)} | ` +
        `${ms(step.deliveryMs.p50)} / ${ms(step.deliveryMs.p99)} | ${step.okAcks}/${step.sends} | ${step.errorAcks}${errors ? ` (${errors})` : ''} | ` +
        `${step.unanswered} | ${step.lost} | ${step.duplicated} | ${step.cpuMsPerThousandDeliveries.api ?? '–'} / ` +
        `${step.cpuMsPerThousandDeliveries.database ?? '–'} | ${step.storedDuringStep ?? '–'} | ` +
        `${step.cpuMsPerThousandStored?.api ?? '–'} / ${step.cpuMsPerThousandStored?.database ?? '–'} | ` +
        `${step.settledAfterSeconds} | ${step.passed ? 'pass' : 'FAIL'} |`,
    );
  }
  lines.push('');
  const failed = r.steps.filter((/** @type {any} */ step) => !step.passed);
  if (failed.length > 0) {
    const peak = r.peakDeliveredPerSecond;
    const last = r.steps[r.steps.length - 1];
    const verdict =
      last.deliveredPerSecond >= 0.8 * peak
        ? 'plateau (delivered throughput stays near its peak)'
        : 'collapse (delivered throughput falls well below its peak)';
    lines.push(
      `Past saturation: ${verdict}; at the last step ${last.deliveredPerSecond} msg/s delivered of ${last.offeredPerSecond} offered, ` +
        `${last.errorAcks} error acks, ${last.unanswered} unanswered after the drain.`,
      '',
    );
  }
  if (r.apiWarnings.length > 0)
    lines.push(
      `API warnings/errors logged: ${r.apiWarnings.length}, e.g. ${r.apiWarnings[0].msg}`,
      '',
    );
  return `${lines.join('\n')}\n`;
}
