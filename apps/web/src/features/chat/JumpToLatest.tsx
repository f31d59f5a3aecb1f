/** Floating "jump to latest" button; says how many new messages wait below. */
export function JumpToLatest({ count, onJump }: { count: number; onJump: () => void }) {
  const label =
    count > 0
      ? `Jump to latest, ${count} new ${count === 1 ? 'message' : 'messages'}`
      : 'Jump to latest';
  return (
    <button
      type="button"
      className="jump-latest button button-small"
      onClick={onJump}
      aria-label={label}
      data-testid="jump-latest"
    >
      {count > 0 && (
        <span className="badge jump-count" data-testid="jump-latest-count" aria-hidden="true">
          {count > 99 ? '99+' : count}
        </span>
      )}
      <span aria-hidden="true">{count > 0 ? 'New messages ↓' : 'Jump to latest ↓'}</span>
    </button>
  );
}
