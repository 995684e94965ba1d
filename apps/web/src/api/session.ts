import { useSyncExternalStore } from 'react';

// The API key lives in this tab's session storage only: never in a URL, a cookie or a log line.
const KEY = 'fledge.apiKey';
const NOTICE = 'fledge.signInNotice';
const listeners = new Set<() => void>();

const notify = () => listeners.forEach((listener) => listener());

export const session = {
  key: (): string | null => sessionStorage.getItem(KEY),
  signIn(key: string): void {
    sessionStorage.setItem(KEY, key);
    sessionStorage.removeItem(NOTICE);
    notify();
  },
  /** Forgets the key; `notice` is shown on the sign-in page (e.g. why the key stopped working). */
  signOut(notice?: string): void {
    sessionStorage.removeItem(KEY);
    if (notice) sessionStorage.setItem(NOTICE, notice);
    notify();
  },
  notice: (): string | null => sessionStorage.getItem(NOTICE),
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

/** Whether this tab holds an API key (re-renders on sign-in and sign-out). */
export function useSignedIn(): boolean {
  return useSyncExternalStore(session.subscribe, () => session.key() !== null);
}
