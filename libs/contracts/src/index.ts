export * from './limits';
export * from './error-codes';
export * from './auth';
export * from './two-factor';
export * from './social';
export * from './messages';
export * from './message-actions';
export * from './events';
