import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter, Gauge, Histogram } from 'prom-client';
import { CLIENT_EVENTS, MetricName, UNKNOWN_EVENT } from './metric-definitions';

// MongoDB command names are a short fixed vocabulary (find, insert, getMore...).
const COMMAND_NAME = /^[A-Za-z]{1,40}$/;
// Error codes of the contract are SCREAMING_SNAKE words; anything else collapses to "error".
const ERROR_CODE = /^[A-Z][A-Z_]{0,39}$/;

/** Collapses a client-chosen event name to a known one, so clients cannot add label values. */
export function eventLabel(event: unknown): string {
  return typeof event === 'string' && Object.hasOwn(CLIENT_EVENTS, event) ? event : UNKNOWN_EVENT;
}

/** Reads `{ ok: true }` / `{ ok: false, error: { code } }` from an acknowledgement. */
export function ackOutcome(response: unknown): string {
  const ack = response as { ok?: unknown; error?: { code?: unknown } } | null | undefined;
  if (ack?.ok === true) return 'ok';
  const code = ack?.error?.code;
  return typeof code === 'string' && ERROR_CODE.test(code) ? code : 'error';
}

/** The one place feature code records metrics; every method is cheap and never throws. */
@Injectable()
export class Metrics {
  constructor(
    @InjectMetric(MetricName.httpDuration) private readonly httpDuration: Histogram<string>,
    @InjectMetric(MetricName.socketsConnected) private readonly socketsOpen: Gauge<string>,
    @InjectMetric(MetricName.socketConnections) private readonly socketConnections: Counter<string>,
    @InjectMetric(MetricName.socketEvents) private readonly socketEvents: Counter<string>,
    @InjectMetric(MetricName.socketAckDuration) private readonly ackDuration: Histogram<string>,
    @InjectMetric(MetricName.messagesStored) private readonly messagesStored: Counter<string>,
    @InjectMetric(MetricName.deliveries) private readonly deliveries: Counter<string>,
    @InjectMetric(MetricName.dbCommandDuration) private readonly dbDuration: Histogram<string>,
    @InjectMetric(MetricName.dbCommandFailures) private readonly dbFailures: Counter<string>,
    @InjectMetric(MetricName.rateLimitRefusals) private readonly refusals: Counter<string>,
    @InjectMetric(MetricName.redisErrors) private readonly redisErrors: Counter<string>,
  ) {}

  httpRequest(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status: String(status) }, seconds);
  }

  /** A socket passed the handshake; pair with socketDisconnected. */
  socketConnected(): void {
    this.socketConnections.inc();
    this.socketsOpen.inc();
  }

  socketDisconnected(): void {
    this.socketsOpen.dec();
  }

  /** An event that was answered; `event` must already be collapsed by eventLabel. */
  socketEventAcked(event: string, response: unknown, seconds: number): void {
    const outcome = ackOutcome(response);
    this.socketEvents.inc({ event, outcome });
    this.ackDuration.observe({ event }, seconds);
    if (outcome === 'RATE_LIMITED') this.rateLimitRefused('socket-events');
  }

  /** An event sent without an acknowledgement callback (e.g. typing). */
  socketEventUnacked(event: string): void {
    this.socketEvents.inc({ event, outcome: 'no_ack' });
  }

  messageStored(): void {
    this.messagesStored.inc();
  }

  delivered(event: string, rooms: number): void {
    this.deliveries.inc({ event }, rooms);
  }

  dbCommand(commandName: string, milliseconds: number, failed: boolean): void {
    const command = COMMAND_NAME.test(commandName) ? commandName : 'other';
    this.dbDuration.observe({ command }, milliseconds / 1000);
    if (failed) this.dbFailures.inc({ command });
  }

  rateLimitRefused(limiter: string): void {
    this.refusals.inc({ limiter });
  }

  redisError(client: string): void {
    this.redisErrors.inc({ client });
  }
}
