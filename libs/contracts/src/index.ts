// Everything, including the DTO and response classes (class-validator): for the API.
// Browsers import '@natter/contracts/client' instead, which carries no validation runtime.
export * from './limits';
export * from './error-codes';
export * from './emoji';
export * from './api-error';
export * from './auth';
export * from './auth.responses';
export * from './two-factor';
export * from './two-factor.responses';
export * from './login';
export * from './social';
export * from './social.responses';
export * from './messages';
export * from './messages.responses';
export * from './message-actions';
export * from './health.responses';
export * from './events';
export * from './routes';
