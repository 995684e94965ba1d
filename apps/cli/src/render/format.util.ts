import Table from 'cli-table3';

const plain = {
  chars: {
    top: '',
    'top-mid': '',
    'top-left': '',
    'top-right': '',
    bottom: '',
    'bottom-mid': '',
    'bottom-left': '',
    'bottom-right': '',
    left: '',
    'left-mid': '',
    mid: '',
    'mid-mid': '',
    right: '',
    'right-mid': '',
    middle: '  ',
  },
  // No colours: output is read by people and grep alike.
  style: { 'padding-left': 0, 'padding-right': 0, head: [] as string[], border: [] as string[] },
};

type Cell = string | number | null | undefined;

const trimEnd = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');

/** A column table with upper-case headings and no borders. */
export function table(head: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const t = new Table({ ...plain, head: head.map((h) => h.toUpperCase()) });
  for (const row of rows) t.push(row.map((cell) => (cell === null || cell === undefined ? '-' : String(cell))));
  return trimEnd(t.toString());
}

/** Label/value lines for one object. */
export function fields(pairs: readonly (readonly [string, Cell])[]): string {
  const t = new Table(plain);
  for (const [label, value] of pairs)
    t.push([`${label}:`, value === null || value === undefined || value === '' ? '-' : String(value)]);
  return trimEnd(t.toString());
}

const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** `2026-11-23T12:34:56.789Z` → `2026-11-23 12:34:56Z`. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '-';
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.map((d) => (d < 0 ? '?' : String(d))).join(', ')}]`;
}

export const shortDigest = (sha256: string) => sha256.slice(0, 12);

export function section(title: string, body: string): string {
  return `\n${title}\n${body}`;
}

/** API enum names read better in lower case, as the CLI's options spell them. */
export const lower = (value: string | null | undefined) => (value ? value.toLowerCase() : value);
