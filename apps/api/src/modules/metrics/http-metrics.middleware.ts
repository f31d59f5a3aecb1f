import type { NextFunction, Request, Response } from 'express';
import { performance } from 'node:perf_hooks';
import type { Metrics } from './metrics.service';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The route label of a finished request: Express's route template (`/api/users/:id`), never
 * the raw path, which would carry ids. Requests no controller route matched share one label
 * (the last route Express saw is then the request logger's catch-all `{*splat}`).
 */
export function routeLabel(request: Request): string {
  const template = (request.route as { path?: unknown } | undefined)?.path;
  if (typeof template === 'string' && !template.includes('{*')) {
    return `${request.baseUrl}${template}`;
  }
  return request.originalUrl.startsWith('/api') ? 'unmatched' : 'static';
}

/** Times every HTTP request from arrival to the end of its response. */
export function httpMetricsMiddleware(metrics: Metrics) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const started = performance.now();
    response.once('finish', () => {
      metrics.httpRequest(
        METHODS.has(request.method) ? request.method : 'OTHER',
        routeLabel(request),
        response.statusCode,
        (performance.now() - started) / 1000,
      );
    });
    next();
  };
}
