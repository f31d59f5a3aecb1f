// @ts-check
// A small load balancer for running several API processes on one machine (tools/scale/run.mjs
// and the scale e2e suite): HTTP and WebSocket upgrades through http-proxy-3, round-robin over
// the processes whose readiness probe answers, like nginx in docker/docker-compose.scale.yml.
// A process that refuses a connection is taken out at once and comes back when its probe
// answers again; the failed request gets a 502 and the client retries (Socket.IO reconnects).
// CommonJS so that both the .mjs tools and the jest suites can load it.
'use strict';

const http = require('node:http');
const { createProxyServer } = require('http-proxy-3');

/**
 * @typedef {object} ProxyOptions
 * @property {string[]} targets       e.g. ['http://127.0.0.1:8081', 'http://127.0.0.1:8082']
 * @property {number} [port]          0 (default): any free port
 * @property {string} [host]          default 127.0.0.1
 * @property {string} [probePath]     default /api/health/ready
 * @property {number} [probeEveryMs]  default 250
 * @property {(route: { kind: 'http' | 'ws', url: string, target: string }) => void} [onRoute]
 *   sees every routing decision (the scale suite learns which process a socket landed on)
 */

/**
 * @param {ProxyOptions} options
 * @returns {Promise<{ url: string, port: number, up: () => string[], close: () => Promise<void> }>}
 */
async function startProxy(options) {
  const { targets, probePath = '/api/health/ready', probeEveryMs = 250, onRoute } = options;
  /** @type {Map<string, boolean>} */
  const healthy = new Map(targets.map((target) => [target, true]));
  let next = 0;

  /** Round-robin over the healthy targets; all of them when none is (better than nothing). */
  const pick = () => {
    const live = targets.filter((target) => healthy.get(target));
    const pool = live.length > 0 ? live : targets;
    return pool[next++ % pool.length];
  };
  /** @param {string} target @param {unknown} error */
  const markDown = (target, error) => {
    const code = /** @type {{ code?: string }} */ (error)?.code;
    if (code === 'ECONNREFUSED' || code === 'ECONNRESET') healthy.set(target, false);
  };

  const proxy = createProxyServer({ ws: true, xfwd: true });
  // Without a listener, a proxy error would be thrown; every call passes its own callback.
  proxy.on('error', () => undefined);

  const server = http.createServer((request, response) => {
    const target = pick();
    onRoute?.({ kind: 'http', url: request.url ?? '', target });
    proxy.web(request, response, { target }, (error) => {
      markDown(target, error);
      if (!response.headersSent) response.writeHead(502, { 'Content-Type': 'text/plain' });
      response.end('Bad gateway\n');
    });
  });
  /** Upgraded connections leave the HTTP server's bookkeeping: closed by hand in close(). */
  const upgraded = new Set();
  server.on('upgrade', (request, socket, head) => {
    const target = pick();
    onRoute?.({ kind: 'ws', url: request.url ?? '', target });
    upgraded.add(socket);
    socket.on('close', () => upgraded.delete(socket));
    socket.on('error', () => socket.destroy());
    // On an error http-proxy-3 ends the client's socket after what was already relayed.
    proxy.ws(request, socket, head, { target }, (error) => markDown(target, error));
  });

  const probes = setInterval(() => {
    for (const target of targets) {
      const probe = http.get(`${target}${probePath}`, { timeout: 2000 }, (response) => {
        healthy.set(target, response.statusCode === 200);
        response.resume();
      });
      probe.on('timeout', () => probe.destroy(new Error('probe timed out')));
      probe.on('error', () => healthy.set(target, false));
    }
  }, probeEveryMs);
  probes.unref();

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve(undefined));
  });
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://${address.address}:${address.port}`,
    port: address.port,
    up: () => targets.filter((target) => healthy.get(target)),
    close: async () => {
      clearInterval(probes);
      for (const socket of upgraded) socket.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
      proxy.close();
    },
  };
}

module.exports = { startProxy };
