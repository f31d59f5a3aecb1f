import { RequestMethod } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';

/**
 * Structured JSON logs with a request id. Bodies are never logged (they hold passwords and
 * message text), and credentials in headers are redacted.
 */
export function loggerOptions(config: AppConfig): Params {
  return {
    // Nest 11's path syntax; the library's default ('*') logs a deprecation warning at boot.
    forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
    pinoHttp: {
      level: config.env.LOG_LEVEL,
      genReqId: (request: IncomingMessage) => {
        const incoming = request.headers['x-request-id'];
        return typeof incoming === 'string' && /^[A-Za-z0-9-]{8,64}$/.test(incoming)
          ? incoming
          : randomUUID();
      },
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
        censor: '[redacted]',
      },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          // Query strings may carry search terms; keep only the path.
          url: req.url.split('?')[0],
        }),
        // Response headers repeat on every line and carry cookies: the status is what matters.
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: {
        ignore: (request: IncomingMessage) => request.url?.startsWith('/api/health') ?? false,
      },
    },
  };
}
