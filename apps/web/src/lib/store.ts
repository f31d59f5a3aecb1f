import type { QueryClient } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';

/**
 * The one pattern for state that lives outside React and outside the query cache (drafts,
 * who is typing, image blob URLs, uploads in flight, ...): a small store made here. Every
 * store holds data of the signed-in account, so each one registers with the reset below and
 * sign-out empties them all, together with the query cache, in one call.
 */
export interface Store<T> {
  get(): T;
  /** Replace the value and tell the subscribers. */
  set(next: T): void;
  /** Tell the subscribers the value changed in place (a Map or Set it holds). */
  changed(): void;
  subscribe(listener: () => void): () => void;
  /** Back to a fresh initial value; `dispose` runs on the old one first. */
  reset(): void;
}

export interface StoreOptions<T> {
  /** For the tests' report of a store that kept something. */
  name: string;
  /** Releases what the old value holds (timers, blob URLs, requests) on reset. */
  dispose?: (value: T) => void;
}

const registry = new Map<string, Store<unknown> & { initial: () => unknown }>();

export function createStore<T>(initial: () => T, options: StoreOptions<T>): Store<T> {
  let value = initial();
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const listener of listeners) listener();
  };
  const store: Store<T> = {
    get: () => value,
    set(next) {
      value = next;
      changed();
    },
    changed,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    reset() {
      options.dispose?.(value);
      value = initial();
      changed();
    },
  };
  registry.set(options.name, { ...(store as Store<unknown>), initial });
  return store;
}

/** A value read from a store, re-rendering when the store changes. */
export function useStore<T, S>(store: Store<T>, select: (value: T) => S): S {
  return useSyncExternalStore(store.subscribe, () => select(store.get()));
}

/**
 * Sign-out: nothing of one account may reach the next one in this tab. Empties the query
 * cache (queries and mutations) and every store made with `createStore`.
 */
export function resetAccountState(queryClient: QueryClient): void {
  queryClient.clear();
  for (const store of registry.values()) store.reset();
}

/** Every store with its name and a fresh initial value (for tests). */
export function registeredStores(): { name: string; value: unknown; initial: unknown }[] {
  return [...registry].map(([name, store]) => ({
    name,
    value: store.get(),
    initial: store.initial(),
  }));
}
