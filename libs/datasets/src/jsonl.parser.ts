import { type DatasetRow } from './dataset.types.js';
import { rowError, type RowPosition } from './dataset.errors.js';

const LF = '\n';
const CR = 13;
const SPACE = 32;
const BLANK = /^\s*$/;

/**
 * JSON Lines: one JSON object per line. Blank lines are not rows (so `rowNumber` counts objects
 * while `line` is the file's line). Yields the rows of each text chunk together, so the per-row
 * cost is a JSON.parse and not an async step. Lines are joined only when they span chunks, from
 * a list of parts, so a long line costs one concatenation rather than one per chunk.
 */
export async function* jsonlRowGroups(
  text: AsyncIterable<string>,
  skipRows: number,
  maxRowLength: number,
): AsyncGenerator<DatasetRow[]> {
  const pending: string[] = [];
  let pendingLength = 0;
  let line = 0;
  let rowNumber = 0;
  let rows: DatasetRow[] = [];

  const take = (raw: string): void => {
    line++;
    const content = raw.length > 0 && raw.charCodeAt(raw.length - 1) === CR ? raw.slice(0, -1) : raw;
    if (content.length === 0) return;
    if (content.charCodeAt(0) <= SPACE && BLANK.test(content)) return;
    rowNumber++;
    if (content.length > maxRowLength) {
      throw rowError({ rowNumber, line }, `the line is longer than ${maxRowLength} characters`);
    }
    if (rowNumber <= skipRows) return;
    rows.push({
      rowNumber,
      line,
      values: jsonlRowValues(parseJsonlText(content, { rowNumber, line }), { rowNumber, line }),
    });
  };

  for await (const chunk of text) {
    let start = 0;
    try {
      for (;;) {
        const end = chunk.indexOf(LF, start);
        if (end === -1) {
          if (start < chunk.length) {
            pending.push(chunk.slice(start));
            pendingLength += chunk.length - start;
            if (pendingLength > maxRowLength) {
              throw rowError(
                { rowNumber: rowNumber + 1, line: line + 1 },
                `the line is longer than ${maxRowLength} characters`,
              );
            }
          }
          break;
        }
        if (pending.length > 0) {
          pending.push(chunk.slice(start, end));
          take(pending.join(''));
          pending.length = 0;
          pendingLength = 0;
        } else {
          take(chunk.slice(start, end));
        }
        start = end + 1;
      }
    } catch (error) {
      // The rows before the bad one are still delivered, as a row-by-row reader would.
      if (rows.length > 0) yield rows;
      throw error;
    }
    if (rows.length > 0) {
      yield rows;
      rows = [];
    }
  }
  if (pending.length > 0) take(pending.join(''));
  if (rows.length > 0) yield rows;
}

/** A JSON Lines row's text parsed by JSON.parse, whose message names what is wrong. */
export function parseJsonlText(content: string, position: RowPosition): unknown {
  try {
    return JSON.parse(content);
  } catch (error) {
    throw rowError(position, `not valid JSON: ${(error as Error).message}`);
  }
}

/** A parsed JSON Lines row must be an object (arrays, typed arrays of numbers included, are not). */
export function jsonlRowValues(values: unknown, position: RowPosition): Record<string, unknown> {
  if (typeof values !== 'object' || values === null || Array.isArray(values) || ArrayBuffer.isView(values)) {
    const kind =
      values === null
        ? 'null'
        : Array.isArray(values) || ArrayBuffer.isView(values)
          ? 'an array'
          : `a ${typeof values}`;
    throw rowError(position, `a JSON Lines row must be a JSON object, found ${kind}`);
  }
  return values as Record<string, unknown>;
}
