import { errorMessage } from '../../lib/errors';
import { Avatar } from '../../ui/Avatar';
import { useToast } from '../../ui/toast-context';
import {
  useAcceptRequest,
  useCancelRequest,
  usePendingRequests,
  useRejectRequest,
  useSentRequests,
} from './useRequests';

export function IncomingRequests() {
  const { data: requests } = usePendingRequests();
  const accept = useAcceptRequest();
  const reject = useRejectRequest();
  const toast = useToast();
  if (!requests || requests.length === 0) return null;
  const busy = accept.isPending || reject.isPending;

  return (
    <section
      className="sidebar-section"
      aria-labelledby="incoming-heading"
      data-testid="incoming-requests"
    >
      <h2 id="incoming-heading" className="section-title">
        Requests{' '}
        <span
          className="badge"
          data-testid="requests-count"
          aria-label={`${requests.length} pending`}
        >
          {requests.length}
        </span>
      </h2>
      <ul className="request-list" aria-label="Incoming requests">
        {requests.map((request) => (
          <li
            key={request.id}
            className="request-item"
            data-testid="incoming-request"
            data-username={request.sender.username}
          >
            <Avatar name={request.sender.username} size="sm" />
            <span className="request-name">{request.sender.username}</span>
            <span className="request-actions">
              <button
                type="button"
                className="button button-small button-primary"
                aria-label={`Accept request from ${request.sender.username}`}
                data-testid="accept-request"
                disabled={busy}
                onClick={() =>
                  accept.mutate(request.id, {
                    onSuccess: () =>
                      toast.show(`You and ${request.sender.username} are now contacts`, 'success'),
                    onError: (error) => toast.show(errorMessage(error), 'error'),
                  })
                }
              >
                Accept
              </button>
              <button
                type="button"
                className="button button-small"
                aria-label={`Reject request from ${request.sender.username}`}
                data-testid="reject-request"
                disabled={busy}
                onClick={() =>
                  reject.mutate(request.id, {
                    onError: (error) => toast.show(errorMessage(error), 'error'),
                  })
                }
              >
                Reject
              </button>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function SentRequests() {
  const { data: requests } = useSentRequests();
  const cancel = useCancelRequest();
  const toast = useToast();
  if (!requests || requests.length === 0) return null;

  return (
    <section className="sidebar-section" aria-labelledby="sent-heading" data-testid="sent-requests">
      <h2 id="sent-heading" className="section-title">
        Sent requests
      </h2>
      <ul className="request-list" aria-label="Sent requests">
        {requests.map((request) => (
          <li
            key={request.id}
            className="request-item"
            data-testid="sent-request"
            data-username={request.recipient.username}
          >
            <Avatar name={request.recipient.username} size="sm" />
            <span className="request-name">{request.recipient.username}</span>
            <span className="request-actions">
              <button
                type="button"
                className="button button-small"
                aria-label={`Cancel request to ${request.recipient.username}`}
                data-testid="cancel-request"
                disabled={cancel.isPending}
                onClick={() =>
                  cancel.mutate(request.id, {
                    onError: (error) => toast.show(errorMessage(error), 'error'),
                  })
                }
              >
                Cancel
              </button>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
