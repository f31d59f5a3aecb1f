// The runtime-free entry for browsers: types, limits, error codes, the socket event maps and
// the typed route map. DTO and response classes are re-exported as types only, so their
// validation runtime (class-validator, class-transformer, reflect-metadata) stays out of the
// bundle. Enforced by lint (no value import of a class module here) and by a bundle check.
export * from './limits';
export * from './error-codes';
export * from './emoji';
export * from './routes';
export * from './login';
export type * from './api-error';
export type * from './auth';
export type * from './auth.responses';
export type * from './two-factor';
export type * from './two-factor.responses';
export type * from './social';
export type * from './social.responses';
export type * from './messages';
export type * from './messages.responses';
export type * from './message-actions';
export type * from './health.responses';
export type * from './events';
