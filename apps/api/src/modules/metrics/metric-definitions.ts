import {
  makeCounterProvider,
  makeGaugeProvider,
  makeHistogramProvider,
} from '@willsoto/nestjs-prometheus';
import type { ClientToServerEvents } from '@natter/contracts';

/**
 * Every series Natter exports besides prom-client's default process and event-loop metrics.
 * Label values come only from fixed sets (route templates, event names, error codes, command
 * names): never a user id, a username, message text or a raw path.
 */
export const MetricName = {
  httpDuration: 'natter_http_request_duration_seconds',
  socketsConnected: 'natter_sockets_connected',
  socketConnections: 'natter_socket_connections_total',
  socketEvents: 'natter_socket_events_total',
  socketAckDuration: 'natter_socket_ack_duration_seconds',
  messagesStored: 'natter_messages_stored_total',
  deliveries: 'natter_deliveries_total',
  dbCommandDuration: 'natter_db_command_duration_seconds',
  dbCommandFailures: 'natter_db_command_failures_total',
  rateLimitRefusals: 'natter_rate_limit_refusals_total',
  redisErrors: 'natter_redis_errors_total',
} as const;

/** Client events a socket may send; anything else is counted as "unknown". */
export const CLIENT_EVENTS = {
  send_private_message: true,
  load_conversation: true,
  mark_read: true,
  typing: true,
  edit_message: true,
  delete_message: true,
  react: true,
} as const satisfies Record<keyof ClientToServerEvents, true>;

export const UNKNOWN_EVENT = 'unknown';

// Request and ack latencies: a few ms on a quiet server up to the client's 10 s ack timeout.
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
// Database commands: sub-millisecond reads up to slow scans.
const DB_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export const metricProviders = [
  makeHistogramProvider({
    name: MetricName.httpDuration,
    help: 'HTTP request duration by method, route template and status code',
    labelNames: ['method', 'route', 'status'],
    buckets: LATENCY_BUCKETS,
  }),
  makeGaugeProvider({
    name: MetricName.socketsConnected,
    help: 'Socket.IO connections currently open on this process',
  }),
  makeCounterProvider({
    name: MetricName.socketConnections,
    help: 'Authenticated Socket.IO connections accepted by this process',
  }),
  makeCounterProvider({
    name: MetricName.socketEvents,
    help: 'Socket events received, by event name and outcome (ok, an error code, or no_ack)',
    labelNames: ['event', 'outcome'],
  }),
  makeHistogramProvider({
    name: MetricName.socketAckDuration,
    help: 'Time from receiving a socket event to sending its acknowledgement, by event name',
    labelNames: ['event'],
    buckets: LATENCY_BUCKETS,
  }),
  makeCounterProvider({
    name: MetricName.messagesStored,
    help: 'Messages stored (each new message once; resends of a stored clientId do not count)',
  }),
  makeCounterProvider({
    name: MetricName.deliveries,
    help: 'Real-time events fanned out, one per target room (a user or a session), by event name',
    labelNames: ['event'],
  }),
  makeHistogramProvider({
    name: MetricName.dbCommandDuration,
    help: 'MongoDB command duration as seen by the driver, by command name',
    labelNames: ['command'],
    buckets: DB_BUCKETS,
  }),
  makeCounterProvider({
    name: MetricName.dbCommandFailures,
    help: 'MongoDB commands that failed, by command name',
    labelNames: ['command'],
  }),
  makeCounterProvider({
    name: MetricName.rateLimitRefusals,
    help: 'Requests and socket events refused by a rate limit, by limiter name',
    labelNames: ['limiter'],
  }),
  makeCounterProvider({
    name: MetricName.redisErrors,
    help: 'Redis connection errors and failed commands, by client (main, socket-pub, socket-sub)',
    labelNames: ['client'],
  }),
];
