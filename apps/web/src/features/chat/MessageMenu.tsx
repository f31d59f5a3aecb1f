import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import {
  MESSAGE_DELETE_WINDOW_DEFAULT_SECONDS,
  MESSAGE_EDIT_WINDOW_DEFAULT_SECONDS,
  QUICK_REACTIONS,
} from '@natter/contracts/client';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import type { ChatMessage } from './conversation-state';
import { EmojiPicker } from './EmojiPicker';
import type { MessageActionsApi } from './message-actions-context';
import { canDeleteForEveryone, canEdit } from './message-actions-state';

// The server's windows are configurable; it has the last word (a refusal is rolled back).
const EDIT_WINDOW_MS = MESSAGE_EDIT_WINDOW_DEFAULT_SECONDS * 1000;
const DELETE_WINDOW_MS = MESSAGE_DELETE_WINDOW_DEFAULT_SECONDS * 1000;

export interface MessageMenuProps {
  message: ChatMessage;
  actions: MessageActionsApi;
  onClose: () => void;
}

/**
 * The message menu: six quick reactions and a picker, Reply, Copy text, Edit, Delete for me,
 * Delete for everyone (confirmed). A WAI-ARIA menu: arrow keys, Home/End, Escape.
 */
export function MessageMenu({ message, actions, onClose }: MessageMenuProps) {
  const menuRef = useRef<HTMLDivElement>(null);
  const [picking, setPicking] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const mine = message.reactions.find((r) => r.userId === actions.myId)?.emoji ?? null;
  const deleted = Boolean(message.deletedAt);
  const editable = canEdit(message, actions.myId, EDIT_WINDOW_MS);
  const deletable = canDeleteForEveryone(message, actions.myId, DELETE_WINDOW_MS);
  const open = !picking && !confirming;

  useEffect(() => {
    if (!open) return;
    menuRef.current?.querySelector<HTMLElement>('[role^="menuitem"]')?.focus();
    function onPointerDown(event: PointerEvent) {
      if (!menuRef.current?.contains(event.target as Node)) onClose();
    }
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open, onClose]);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const items = Array.from(
      menuRef.current?.querySelectorAll<HTMLElement>('[role^="menuitem"]') ?? [],
    );
    const index = items.indexOf(document.activeElement as HTMLElement);
    const go = (i: number) => items[(i + items.length) % items.length]?.focus();
    if (event.key === 'ArrowDown' || event.key === 'ArrowRight') go(index + 1);
    else if (event.key === 'ArrowUp' || event.key === 'ArrowLeft') go(index - 1);
    else if (event.key === 'Home') go(0);
    else if (event.key === 'End') go(items.length - 1);
    else if (event.key === 'Escape' || event.key === 'Tab') {
      if (event.key === 'Escape') event.stopPropagation();
      onClose();
      return;
    } else return;
    event.preventDefault();
  }

  const run = (action: () => void) => () => {
    onClose();
    action();
  };

  if (picking)
    return (
      <EmojiPicker
        current={mine}
        onPick={(emoji) => actions.react(message, emoji === mine ? null : emoji)}
        onClose={onClose}
      />
    );
  if (confirming)
    return (
      <ConfirmDialog
        title="Delete for everyone?"
        confirmLabel="Delete for everyone"
        destructive
        onConfirm={() => actions.deleteForEveryone(message)}
        onClose={onClose}
      >
        <p>The message disappears for both of you. This cannot be undone.</p>
      </ConfirmDialog>
    );

  return (
    <div
      ref={menuRef}
      role="menu"
      aria-label="Message actions"
      className="message-menu"
      data-testid="message-menu"
      onKeyDown={onKeyDown}
    >
      {!deleted && (
        <div role="group" aria-label="React" className="message-menu-reactions">
          {QUICK_REACTIONS.map((emoji) => (
            <button
              key={emoji}
              type="button"
              role="menuitemcheckbox"
              aria-checked={emoji === mine}
              aria-label={`React with ${emoji}`}
              className={emoji === mine ? 'quick-reaction selected' : 'quick-reaction'}
              tabIndex={-1}
              onClick={run(() => actions.react(message, emoji === mine ? null : emoji))}
              data-testid="quick-reaction"
            >
              {emoji}
            </button>
          ))}
          <button
            type="button"
            role="menuitem"
            aria-label="More reactions"
            className="quick-reaction"
            tabIndex={-1}
            onClick={() => setPicking(true)}
            data-testid="more-reactions"
          >
            +
          </button>
        </div>
      )}
      {!deleted && (
        <MenuItem label="Reply" testId="menu-reply" onSelect={run(() => actions.reply(message))} />
      )}
      {!deleted && message.type === 'text' && message.text && (
        <MenuItem
          label="Copy text"
          testId="menu-copy"
          onSelect={run(() => actions.copy(message))}
        />
      )}
      {editable && (
        <MenuItem
          label="Edit"
          testId="menu-edit"
          onSelect={run(() => actions.startEdit(message))}
        />
      )}
      <MenuItem
        label="Delete for me"
        testId="menu-delete-me"
        onSelect={run(() => actions.deleteForMe(message))}
      />
      {deletable && (
        <MenuItem
          label="Delete for everyone"
          testId="menu-delete-everyone"
          danger
          onSelect={() => setConfirming(true)}
        />
      )}
    </div>
  );
}

function MenuItem(props: {
  label: string;
  testId: string;
  danger?: boolean;
  onSelect: () => void;
}) {
  return (
    <button
      type="button"
      role="menuitem"
      tabIndex={-1}
      className={props.danger ? 'menu-item danger' : 'menu-item'}
      onClick={props.onSelect}
      data-testid={props.testId}
    >
      {props.label}
    </button>
  );
}
