import { errorMessage } from '../../lib/errors';
import { formatDateTime } from '../../lib/time';
import { useToast } from '../../ui/toast-context';
import { useBlocks, useUnblock } from '../contacts/useContacts';

export function BlockedUsersSection() {
  const { data: blocks, isPending, error } = useBlocks();
  const unblock = useUnblock();
  const toast = useToast();

  return (
    <section
      className="settings-section"
      aria-labelledby="blocked-heading"
      data-testid="blocked-section"
    >
      <h2 id="blocked-heading">Blocked users</h2>
      {isPending && <p className="muted">Loading…</p>}
      {error && (
        <p className="form-error" role="alert">
          {errorMessage(error)}
        </p>
      )}
      {blocks && blocks.length === 0 && (
        <p className="muted" data-testid="no-blocked-users">
          You haven't blocked anyone.
        </p>
      )}
      {blocks && blocks.length > 0 && (
        <ul className="settings-list" aria-label="Blocked users">
          {blocks.map((block) => (
            <li
              key={block.id}
              className="settings-item"
              data-testid="blocked-user"
              data-username={block.username}
            >
              <div className="settings-item-main">
                <span className="settings-item-title">{block.username}</span>
                <span className="muted small">blocked {formatDateTime(block.blockedAt)}</span>
              </div>
              <button
                type="button"
                className="button button-small"
                aria-label={`Unblock ${block.username}`}
                disabled={unblock.isPending}
                data-testid="unblock-user"
                onClick={() =>
                  unblock.mutate(block.id, {
                    onSuccess: () => toast.show(`${block.username} is unblocked`, 'success'),
                    onError: (err) => toast.show(errorMessage(err), 'error'),
                  })
                }
              >
                Unblock
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
