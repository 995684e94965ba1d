const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const time = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

export const fmtDateTime = (iso: string | null | undefined): string => (iso ? dateTime.format(new Date(iso)) : '—');
export const fmtTime = (iso: string): string => time.format(new Date(iso));

export function fmtNumber(value: unknown, digits = 4): string {
  if (typeof value !== 'number' || !Number.isFinite(value))
    return value === null || value === undefined ? '—' : String(value);
  if (Number.isInteger(value)) return value.toLocaleString();
  return Number(value.toFixed(digits)).toString();
}

export const fmtPercent = (value: number | null | undefined, digits = 1): string =>
  typeof value === 'number' && Number.isFinite(value) ? `${(value * 100).toFixed(digits)}%` : '—';

export const fmtMs = (value: number | null | undefined): string =>
  typeof value === 'number' && Number.isFinite(value) ? `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms` : '—';

export function fmtBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** Seconds between two instants as "1 m 05 s". */
export function fmtDuration(fromIso: string | null | undefined, toIso: string | null | undefined): string {
  if (!fromIso) return '—';
  const seconds = Math.max(0, Math.round(((toIso ? Date.parse(toIso) : Date.now()) - Date.parse(fromIso)) / 1000));
  const m = Math.floor(seconds / 60);
  return m ? `${m} m ${String(seconds % 60).padStart(2, '0')} s` : `${seconds} s`;
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
