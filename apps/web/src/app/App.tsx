import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { RouterProvider } from 'react-router';
import { HttpError } from '../lib/errors';
import { api, sessionStore, socketController } from '../lib/client';
import { ToastProvider } from '../ui/ToastProvider';
import { AuthProvider } from './AuthProvider';
import { createAppRouter } from './router';
import { SocketProvider } from './SocketProvider';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Live data comes from the socket; refetch only on demand (reconnect invalidation).
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: (failureCount, error) =>
          failureCount < 2 &&
          !(error instanceof HttpError && error.status >= 400 && error.status < 500),
      },
      mutations: { retry: false },
    },
  });
}

export function App() {
  const [queryClient] = useState(createQueryClient);
  const [router] = useState(createAppRouter);
  return (
    <QueryClientProvider client={queryClient}>
      <ToastProvider>
        <AuthProvider store={sessionStore} api={api}>
          <SocketProvider controller={socketController}>
            <RouterProvider router={router} />
          </SocketProvider>
        </AuthProvider>
      </ToastProvider>
    </QueryClientProvider>
  );
}
