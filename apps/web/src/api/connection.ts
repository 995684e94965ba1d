import { useSyncExternalStore } from 'react';

export interface ConnectionState {
  /** Set while requests fail because the API cannot be reached; cleared by the next answer. */
  unreachable: { since: number; message: string } | null;
}

let state: ConnectionState = { unreachable: null };
const listeners = new Set<() => void>();

function set(next: ConnectionState): void {
  state = next;
  listeners.forEach((listener) => listener());
}

export const connection = {
  unreachable(message: string): void {
    if (state.unreachable?.message === message) return;
    set({ unreachable: { since: state.unreachable?.since ?? Date.now(), message } });
  },
  reachable(): void {
    if (state.unreachable) set({ unreachable: null });
  },
};

export function useConnection(): ConnectionState {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
  );
}
