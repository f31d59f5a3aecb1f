import { createApiClient } from './api-client';
import { createSessionStore } from './session-store';
import { createSocketController } from './socket-controller';

/** The app-wide instances (tests build their own with the factories). */
export const api = createApiClient();
export const sessionStore = createSessionStore(api);
export const socketController = createSocketController({ api });
