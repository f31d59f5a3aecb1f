import { useCallback, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { ChatMessage } from './conversation-state';
import type { MessageActionsApi } from './message-actions-context';
import { MessageMenu } from './MessageMenu';

const LONG_PRESS_MS = 500;
/** A finger that moves this far is scrolling, not pressing. */
const LONG_PRESS_SLOP_PX = 10;

/**
 * How a message opens its menu: the ⋯ button (shown on hover and focus), Enter or the
 * context-menu key (Shift+F10 too) on the focused message, right click, or a long press.
 * Focus returns to the message when the menu closes.
 */
export function useMessageMenu(message: ChatMessage, actions: MessageActionsApi | null) {
  const [open, setOpen] = useState(false);
  const itemRef = useRef<HTMLLIElement>(null);
  const press = useRef<{ timer: ReturnType<typeof setTimeout>; x: number; y: number } | null>(null);
  const available = actions !== null && message.id !== null;

  const close = useCallback(() => {
    setOpen(false);
    itemRef.current?.focus();
  }, []);

  const cancelPress = () => {
    if (press.current) clearTimeout(press.current.timer);
    press.current = null;
  };

  const itemProps = available
    ? {
        ref: itemRef,
        tabIndex: 0,
        'aria-describedby': 'message-menu-hint',
        onKeyDown(event: KeyboardEvent<HTMLLIElement>) {
          if (event.target !== event.currentTarget) return;
          const opens =
            event.key === 'Enter' ||
            event.key === 'ContextMenu' ||
            (event.key === 'F10' && event.shiftKey);
          if (!opens) return;
          event.preventDefault();
          setOpen(true);
        },
        onContextMenu(event: React.MouseEvent) {
          event.preventDefault();
          setOpen(true);
        },
        onPointerDown(event: PointerEvent<HTMLLIElement>) {
          if (event.pointerType !== 'touch') return;
          cancelPress();
          press.current = {
            x: event.clientX,
            y: event.clientY,
            timer: setTimeout(() => {
              press.current = null;
              setOpen(true);
            }, LONG_PRESS_MS),
          };
        },
        onPointerMove(event: PointerEvent<HTMLLIElement>) {
          const start = press.current;
          if (
            start &&
            Math.hypot(event.clientX - start.x, event.clientY - start.y) > LONG_PRESS_SLOP_PX
          )
            cancelPress();
        },
        onPointerUp: cancelPress,
        onPointerCancel: cancelPress,
      }
    : { ref: itemRef };

  const trigger = available ? (
    <button
      type="button"
      className="message-menu-trigger icon-button"
      aria-label="Message actions"
      aria-haspopup="menu"
      aria-expanded={open}
      tabIndex={-1}
      onClick={() => setOpen((value) => !value)}
      data-testid="message-menu-trigger"
    >
      <span aria-hidden="true">⋯</span>
    </button>
  ) : null;

  const menu =
    open && actions ? <MessageMenu message={message} actions={actions} onClose={close} /> : null;

  return { itemProps, trigger, menu };
}
