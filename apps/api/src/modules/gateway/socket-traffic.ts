import { Injectable } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import type { Socket } from 'socket.io';
import { UNKNOWN_EVENT } from '../metrics/metric-definitions';
import { eventLabel, Metrics } from '../metrics/metrics.service';

type Ack = (...args: unknown[]) => unknown;

/**
 * Watches every client event of every socket, without the feature gateways knowing: counts
 * events by name and acknowledgement outcome, times the acknowledgement, and keeps the number
 * of events still waiting for theirs, so that a shutdown can let them finish (an ack is sent
 * only after the message is stored, so a finished send is a stored send).
 */
@Injectable()
export class SocketTraffic {
  private inFlight = 0;
  private draining = false;
  private readonly idleWaiters = new Set<() => void>();

  constructor(private readonly metrics: Metrics) {}

  /** True once a shutdown has begun: no new connections, no new events. */
  get isDraining(): boolean {
    return this.draining;
  }

  /** Events received and not yet acknowledged. */
  get pending(): number {
    return this.inFlight;
  }

  /** Installs the event middleware on a socket that passed the handshake. */
  observe(socket: Socket): void {
    this.metrics.socketConnected();
    socket.once('disconnect', () => this.metrics.socketDisconnected());
    socket.use((packet, next) => {
      // Dropped unanswered while shutting down: the client's ack times out and it sends the
      // event again (a send with the same clientId) once it has reconnected elsewhere.
      if (this.draining) return;
      const event = eventLabel(packet[0]);
      const last = packet.length - 1;
      const ack = packet[last] as unknown;
      // No handler answers an unknown event, so it is never waited for.
      if (last < 1 || typeof ack !== 'function' || event === UNKNOWN_EVENT) {
        this.metrics.socketEventUnacked(event);
        return next();
      }
      packet[last] = this.track(event, ack as Ack);
      next();
    });
  }

  /** Stops taking new events and resolves when every pending one is answered, or at the bound. */
  async drain(timeoutMs: number): Promise<{ unanswered: number }> {
    this.draining = true;
    if (this.inFlight > 0) {
      await new Promise<void>((resolve) => {
        const finish = () => {
          clearTimeout(timer);
          this.idleWaiters.delete(finish);
          resolve();
        };
        const timer = setTimeout(finish, timeoutMs);
        this.idleWaiters.add(finish);
      });
    }
    return { unanswered: this.inFlight };
  }

  private track(event: string, ack: Ack): Ack {
    const started = performance.now();
    this.inFlight++;
    let answered = false;
    return (...args: unknown[]) => {
      if (!answered) {
        answered = true;
        this.metrics.socketEventAcked(event, args[0], (performance.now() - started) / 1000);
        this.inFlight--;
        if (this.inFlight === 0) [...this.idleWaiters].forEach((waiter) => waiter());
      }
      return ack(...args);
    };
  }
}
