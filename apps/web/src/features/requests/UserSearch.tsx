import { useId, useState } from 'react';
import { Link } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import {
  SEARCH_QUERY_MAX_LENGTH,
  SEARCH_QUERY_MIN_LENGTH,
  type Relationship,
  type SearchResult,
} from '@natter/contracts/client';
import { errorMessage } from '../../lib/errors';
import { useDebouncedValue } from '../../lib/hooks';
import { queryKeys } from '../../lib/query-keys';
import { Avatar } from '../../ui/Avatar';
import { useToast } from '../../ui/toast-context';
import { usePendingRequests, useAcceptRequest, useSendRequest, useUserSearch } from './useRequests';

export const SEARCH_DEBOUNCE_MS = 250;

function setRelationship(
  queryClient: ReturnType<typeof useQueryClient>,
  userId: string,
  relationship: Relationship,
) {
  queryClient.setQueriesData<SearchResult[]>({ queryKey: queryKeys.userSearchAll }, (users) =>
    users?.map((u) => (u.id === userId ? { ...u, relationship } : u)),
  );
}

function ResultAction({ user }: { user: SearchResult }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const sendRequest = useSendRequest();
  const accept = useAcceptRequest();
  const { data: pending } = usePendingRequests();

  switch (user.relationship) {
    case 'contact':
      return (
        <Link
          to={`/chat/${user.id}`}
          className="chip chip-contact"
          data-testid="relationship-contact"
          aria-label={`${user.username} is a contact: open conversation`}
        >
          Contact
        </Link>
      );
    case 'outgoing':
      return (
        <span className="chip" data-testid="relationship-outgoing">
          Requested
        </span>
      );
    case 'incoming': {
      const request = pending?.find((r) => r.sender.id === user.id);
      return (
        <button
          type="button"
          className="button button-small button-primary"
          data-testid="search-accept"
          aria-label={`Accept request from ${user.username}`}
          disabled={accept.isPending || sendRequest.isPending}
          onClick={() => {
            // Sending a request to someone who asked us accepts theirs on the server.
            const done = () => {
              setRelationship(queryClient, user.id, 'contact');
              toast.show(`You and ${user.username} are now contacts`, 'success');
            };
            const fail = (error: unknown) => toast.show(errorMessage(error), 'error');
            if (request) accept.mutate(request.id, { onSuccess: done, onError: fail });
            else sendRequest.mutate(user.username, { onSuccess: done, onError: fail });
          }}
        >
          Accept
        </button>
      );
    }
    default:
      return (
        <button
          type="button"
          className="button button-small button-primary"
          data-testid="search-add"
          aria-label={`Add ${user.username}`}
          disabled={sendRequest.isPending}
          onClick={() =>
            sendRequest.mutate(user.username, {
              onSuccess: (response) => {
                setRelationship(queryClient, user.id, response?.contact ? 'contact' : 'outgoing');
                toast.show(
                  response?.contact
                    ? `You and ${user.username} are now contacts`
                    : `Request sent to ${user.username}`,
                  'success',
                );
              },
              onError: (error) => toast.show(errorMessage(error), 'error'),
            })
          }
        >
          Add
        </button>
      );
  }
}

export function UserSearch() {
  const inputId = useId();
  const statusId = useId();
  const [text, setText] = useState('');
  const q = useDebouncedValue(text.trim(), SEARCH_DEBOUNCE_MS);
  const active = q.length >= SEARCH_QUERY_MIN_LENGTH;
  const { data: users, isFetching, error } = useUserSearch(q);
  const typing = text.trim() !== q;

  let status = '';
  if (text.trim().length > 0 && text.trim().length < SEARCH_QUERY_MIN_LENGTH) {
    status = `Type at least ${SEARCH_QUERY_MIN_LENGTH} characters`;
  } else if (active && error) {
    status = errorMessage(error);
  } else if (active && !typing && !isFetching && users && users.length === 0) {
    status = 'No users found';
  } else if (active && users && users.length > 0 && !typing) {
    status = `${users.length} ${users.length === 1 ? 'user' : 'users'} found`;
  }

  return (
    <section className="sidebar-section search-section" aria-label="Find people">
      <label htmlFor={inputId} className="visually-hidden">
        Search users
      </label>
      <input
        id={inputId}
        type="search"
        className="search-input"
        placeholder="Search users to add…"
        value={text}
        maxLength={SEARCH_QUERY_MAX_LENGTH}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') setText('');
        }}
        aria-describedby={statusId}
        data-testid="user-search-input"
      />
      <p
        id={statusId}
        className="search-status muted"
        role="status"
        aria-live="polite"
        data-testid="search-status"
      >
        {status}
      </p>
      {active && users && users.length > 0 && (
        <ul
          className="search-results"
          aria-label="Search results"
          data-testid="search-results"
          aria-busy={isFetching || typing}
        >
          {users.map((user) => (
            <li
              key={user.id}
              className="search-result"
              data-testid="search-result"
              data-username={user.username}
              data-relationship={user.relationship}
            >
              <Avatar name={user.username} size="sm" />
              <span className="search-name">{user.username}</span>
              <ResultAction user={user} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
