import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { applyTheme, followThemeAcrossTabs } from './lib/theme';
import './styles.css';
import './features/settings/two-factor.css';
import './features/chat/message-actions.css';

applyTheme();
followThemeAcrossTabs();

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
