import { Navigate, createBrowserRouter, type RouteObject } from 'react-router';
import { LoginPage } from '../features/auth/LoginPage';
import { SignupPage } from '../features/auth/SignupPage';
import { ChatLayout, NoConversation } from '../features/chat/ChatLayout';
import { ConversationPane } from '../features/chat/ConversationPane';
import { SettingsPage } from '../features/settings/SettingsPage';
import { PublicOnly, RequireAuth } from './guards';

export const routes: RouteObject[] = [
  { path: '/', element: <Navigate to="/chat" replace /> },
  {
    element: <PublicOnly />,
    children: [
      { path: '/login', element: <LoginPage /> },
      { path: '/signup', element: <SignupPage /> },
    ],
  },
  {
    element: <RequireAuth />,
    children: [
      {
        path: '/chat',
        element: <ChatLayout />,
        children: [
          { index: true, element: <NoConversation /> },
          { path: ':contactId', element: <ConversationPane /> },
        ],
      },
      { path: '/settings', element: <SettingsPage /> },
    ],
  },
  { path: '*', element: <Navigate to="/chat" replace /> },
];

export function createAppRouter() {
  return createBrowserRouter(routes);
}
