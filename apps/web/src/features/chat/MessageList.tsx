import { useCallback, useEffect, useLayoutEffect, useRef, useState, type UIEvent } from 'react';
import { errorMessage } from '../../lib/errors';
import { useNow } from '../../lib/hooks';
import { formatDay } from '../../lib/time';
import { latestSeq, type ConversationState } from './conversation-state';
import { buildTimeline, countNewBelow } from './grouping';
import { JumpToLatest } from './JumpToLatest';
import { MessageBubble } from './MessageBubble';

const BOTTOM_SLACK_PX = 48;
const LOAD_OLDER_AT_PX = 150;

export interface MessageListProps {
  state: ConversationState;
  myId: string;
  contactName: string;
  loadOlder: () => Promise<void>;
  onAtBottomChange: (atBottom: boolean) => void;
  onRetry: (key: string) => void;
  onDiscard: (key: string) => void;
  /** Where the "Unread messages" divider goes (the first unread seq), or null. */
  unreadFromSeq?: number | null;
}

interface Anchor {
  key: string;
  offset: number;
}

/**
 * The history, oldest at the top. Scrolling near the top loads older pages while keeping the
 * message you were looking at in place; new messages keep you at the bottom if you were there.
 */
export function MessageList({
  state,
  myId,
  contactName,
  loadOlder,
  onAtBottomChange,
  onRetry,
  onDiscard,
  unreadFromSeq = null,
}: MessageListProps) {
  const now = useNow();
  const scrollRef = useRef<HTMLDivElement>(null);
  const anchorRef = useRef<Anchor | null>(null);
  const stickRef = useRef(true);
  const lastKeyRef = useRef<string | null>(null);
  const loadingRef = useRef(false);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [olderError, setOlderError] = useState<string | null>(null);
  const { messages, hasMore } = state;
  const latest = latestSeq(state) ?? 0;
  // Opening with unread messages: not at the bottom until the first layout says so.
  const [atBottom, setAtBottom] = useState(unreadFromSeq === null);
  // The newest seq the reader has had on screen at the bottom; newer ones are "new below"
  // (on opening, everything from the unread divider on).
  const [seenSeq, setSeenSeq] = useState(() =>
    unreadFromSeq !== null ? unreadFromSeq - 1 : latest,
  );
  if (atBottom && seenSeq !== latest) setSeenSeq(latest);
  const newBelow = atBottom ? 0 : countNewBelow(messages, seenSeq, myId);
  const firstLayout = useRef(true);

  const requestOlder = useCallback(async () => {
    const el = scrollRef.current;
    if (!el || loadingRef.current || !hasMore) return;
    const first = el.querySelector<HTMLElement>('[data-testid="message"]');
    anchorRef.current = first?.dataset.key
      ? { key: first.dataset.key, offset: first.offsetTop - el.scrollTop }
      : null;
    loadingRef.current = true;
    setLoadingOlder(true);
    setOlderError(null);
    try {
      await loadOlder();
    } catch (error) {
      anchorRef.current = null;
      setOlderError(errorMessage(error));
    } finally {
      loadingRef.current = false;
      setLoadingOlder(false);
    }
  }, [hasMore, loadOlder]);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const anchor = anchorRef.current;
    const last = messages.at(-1);
    const lastChanged = (last?.key ?? null) !== lastKeyRef.current;
    lastKeyRef.current = last?.key ?? null;

    if (firstLayout.current) {
      // Opening with more unread than fits: start at the divider, so nothing unseen is marked
      // read. Either way the pane learns here whether the newest message is on screen.
      firstLayout.current = false;
      const divider = el.querySelector<HTMLElement>('[data-testid="unread-divider"]');
      if (divider && el.scrollHeight - divider.offsetTop > el.clientHeight) {
        el.scrollTop = divider.offsetTop - 8;
        stickRef.current = false;
        setAtBottom(false);
        onAtBottomChange(false);
        return;
      }
      setAtBottom(true);
      onAtBottomChange(true);
    }
    if (anchor && messages[0]?.key !== anchor.key) {
      // Older messages were prepended: put the previously first message back where it was.
      const node = Array.from(el.querySelectorAll<HTMLElement>('[data-testid="message"]')).find(
        (n) => n.dataset.key === anchor.key,
      );
      if (node) el.scrollTop = node.offsetTop - anchor.offset;
      anchorRef.current = null;
    } else if (stickRef.current || (lastChanged && last?.senderId === myId && last.id === null)) {
      el.scrollTop = el.scrollHeight;
      stickRef.current = true;
    }
  }, [messages, myId, unreadFromSeq, onAtBottomChange]);

  // A first page shorter than the viewport cannot be scrolled: fetch more until it can.
  useEffect(() => {
    const el = scrollRef.current;
    if (!el || !hasMore || loadingOlder || olderError) return;
    if (el.scrollHeight <= el.clientHeight + LOAD_OLDER_AT_PX) void requestOlder();
  }, [messages, hasMore, loadingOlder, olderError, requestOlder]);

  function onScroll(event: UIEvent<HTMLDivElement>) {
    const el = event.currentTarget;
    const bottom = el.scrollHeight - el.scrollTop - el.clientHeight <= BOTTOM_SLACK_PX;
    stickRef.current = bottom;
    if (bottom !== atBottom) {
      setAtBottom(bottom);
      onAtBottomChange(bottom);
    }
    if (el.scrollTop < LOAD_OLDER_AT_PX && hasMore && !loadingRef.current && !olderError)
      void requestOlder();
  }

  function jumpToLatest() {
    const el = scrollRef.current;
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    stickRef.current = true;
    setAtBottom(true);
    onAtBottomChange(true);
  }

  return (
    <div
      className="message-scroll"
      ref={scrollRef}
      onScroll={onScroll}
      data-testid="message-scroll"
      tabIndex={0}
      aria-label={`Messages with ${contactName}`}
      role="region"
    >
      <div className="history-top">
        {hasMore ? (
          <button
            type="button"
            className="link-button"
            onClick={() => void requestOlder()}
            disabled={loadingOlder}
            data-testid="load-older"
          >
            {loadingOlder ? 'Loading older messages…' : 'Load older messages'}
          </button>
        ) : (
          <p className="muted history-start">
            This is the beginning of your conversation with {contactName}.
          </p>
        )}
        {olderError && (
          <p className="form-error" role="alert">
            {olderError}{' '}
            <button
              type="button"
              className="link-button"
              onClick={() => {
                setOlderError(null);
                void requestOlder();
              }}
            >
              Try again
            </button>
          </p>
        )}
      </div>
      <ol className="message-list" data-testid="message-list" aria-label="Messages">
        {buildTimeline(messages, { unreadFromSeq, myId }).map((item) => {
          if (item.kind === 'day') {
            return (
              <li key={item.key} className="day-separator" data-testid="day-separator">
                <span>{formatDay(item.iso, now)}</span>
              </li>
            );
          }
          if (item.kind === 'unread') {
            return (
              <li key={item.key} className="unread-divider" data-testid="unread-divider">
                <span>Unread messages</span>
              </li>
            );
          }
          return (
            <MessageBubble
              key={item.key}
              message={item.message}
              mine={item.message.senderId === myId}
              senderName={contactName}
              peerReadSeq={state.peerReadSeq}
              groupStart={item.groupStart}
              groupEnd={item.groupEnd}
              onRetry={onRetry}
              onDiscard={onDiscard}
            />
          );
        })}
      </ol>
      {!atBottom && <JumpToLatest count={newBelow} onJump={jumpToLatest} />}
    </div>
  );
}
