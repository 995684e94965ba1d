const tone: Record<string, string> = {
  SUCCEEDED: 'good',
  PASSED: 'good',
  VALIDATED: 'good',
  FIRING: 'bad',
  firing: 'bad',
  resolved: 'good',
  FAILED: 'bad',
  REJECTED: 'bad',
  ROLLED_BACK: 'bad',
  ABORTED: 'warn',
  ROLLING_BACK: 'bad',
  ARCHIVED: 'muted',
  PENDING: 'muted',
  RUNNING: 'info',
  GATING: 'info',
  SHADOW: 'info',
  CANARY: 'info',
  PROMOTING: 'info',
  REGISTERED: 'muted',
};

/** A state as a labelled pill (colour is never the only signal: the text is always there). */
export function Badge({ value }: { value: string }) {
  return <span className={`badge badge-${tone[value] ?? 'muted'}`}>{value.replace(/_/g, ' ')}</span>;
}
