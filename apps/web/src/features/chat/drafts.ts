import { useState } from 'react';
import { createStore } from '../../lib/store';

/** Drafts survive switching conversations (memory only; sign-out drops them). */
const drafts = createStore(() => new Map<string, string>(), { name: 'drafts' });

/** The composer's text for one conversation, kept as that conversation's draft. */
export function useDraft(contactId: string) {
  const [text, setText] = useState(() => drafts.get().get(contactId) ?? '');
  return {
    text,
    /** Shows a text without making it the draft (a message being edited). */
    show: setText,
    keep(value: string) {
      setText(value);
      drafts.get().set(contactId, value);
    },
    clear() {
      setText('');
      drafts.get().delete(contactId);
    },
  };
}
