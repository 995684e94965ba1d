import { FledgeError } from '@fledge/errors';

/** Opaque keyset cursors: base64url JSON of the sort key of the last row of a page. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): (string | number)[] {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(key) &&
      key.length === arity &&
      key.every((k) => typeof k === 'string' || typeof k === 'number')
    ) {
      return key;
    }
  } catch {
    // fall through to the typed error
  }
  throw invalidCursor();
}

/** A cursor whose key has the wrong arity or kinds: the client's mistake. */
export function invalidCursor(): FledgeError {
  return new FledgeError('INVALID_ARGUMENT', 'the cursor is not one this API issued', {
    reason: 'CURSOR_INVALID',
    details: { field: 'after' },
  });
}

export interface Page {
  first: number;
  after: string | null;
}

export interface PageResult<T> {
  /** Up to first + 1 rows: the extra one tells the caller a next page exists. */
  rows: T[];
  totalCount: number;
}
