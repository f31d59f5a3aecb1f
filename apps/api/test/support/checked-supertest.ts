/*
 * `supertest`, as the e2e suites import it (jest-e2e.config.cjs maps the module here): the
 * same API, and every response is also checked against the OpenAPI document of the server it
 * came from (support/openapi.ts), so a response that drifts from its documentation fails the
 * test that received it, whatever that test asserts itself.
 */
// The real module, by a path the jest mapping of 'supertest' leaves alone.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const real = require('supertest/index.js') as typeof import('supertest');
import type { Response } from 'supertest';
import { checkResponse } from './openapi';

type Callback = (error: unknown, response: Response) => void;
type Agent = ReturnType<typeof real>;
type TestLike = { end(callback: Callback): unknown };

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'del', 'head', 'options'] as const;

function checked(app: Parameters<typeof real>[0], options?: Parameters<typeof real>[1]): Agent {
  const agent = real(app, options);
  if (typeof app !== 'string') return agent;
  for (const method of METHODS) {
    const open = agent[method].bind(agent) as (url: string) => TestLike;
    (agent as unknown as Record<string, (url: string) => TestLike>)[method] = (url: string) => {
      const test = open(url);
      const end = test.end.bind(test);
      test.end = (callback: Callback) =>
        end((error, response) => {
          if (error || !response) return callback(error, response);
          checkResponse(app, method === 'del' ? 'delete' : method, `${app}${url}`, response).then(
            () => callback(null, response),
            (mismatch: unknown) => callback(mismatch, response),
          );
        });
      return test;
    };
  }
  return agent;
}

const request = Object.assign(checked, real) as unknown as typeof real;
export default request;
