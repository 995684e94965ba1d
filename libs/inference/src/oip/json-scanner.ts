import { invalidArgument } from '@fledge/errors';

// Parses OIP bodies, which are mostly long arrays of numbers, into plain values with number-only
// arrays as Float64Array. Two paths, one result:
// - The byte scanner below reads the body while every number in its flat arrays takes the exact
//   fast path (an integer mantissa of ≤ 15 digits times an exact power of ten rounds once, as
//   JSON.parse does). It also gives every error, with its byte position, so each bad body keeps
//   its exact 4xx message.
// - On the first literal that path cannot read (16-17 significant digits, as JSON.stringify,
//   numpy and tritonclient write float32 values, or an exponent) the body goes to V8's JSON.parse,
//   which reads literals exactly (correctly rounded), then one pass turns number-only arrays into
//   Float64Array and checks the limits below; whatever JSON.parse refuses or the pass rejects goes
//   back to the scanner for its exact error. An exact 16-17-digit path of our own (Eisel-Lemire)
//   needs 64×128-bit products that JS cannot form cheaply.
// Measured with `npm run bench:codec` (fastest of 15 interleaved rounds, Node 24, 2 cores shared
// with other load, so indicative), µs per 784-float OIP body: float32 at full precision: JSON.parse
// + copy 63, this module 59, the scanner alone 231; 7-digit floats: 37, 24, 26; integers: 26, 16, 15.
// Hostile input stays a client error: nesting is bounded (the scanner recurses once per level,
// like serde_json's default limit of 128; JSON.parse is iterative and would build a 100,000-level
// document in full, ≈ 60 ms, before the depth check, hence MAX_CONTAINERS_PER_KIB) and literals
// beyond the double range (`1e999`) are refused instead of becoming Infinity. State is per module
// instance (a worker thread has its own).

const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
  1e21, 1e22,
];

const QUOTE = 0x22;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const COLON = 0x3a;
const LBRACKET = 0x5b;
const BACKSLASH = 0x5c;
const RBRACKET = 0x5d;
const LBRACE = 0x7b;
const RBRACE = 0x7d;

/** Deepest nesting of arrays and objects accepted; OIP bodies need the tensor rank plus three. */
export const MAX_JSON_DEPTH = 128;

let scratch = new Float64Array(4096);
let scanEnd = 0;
/** While set, scanNumbers gives up on the first literal it cannot read on its fast path. */
let bailOnSlowLiteral = false;
const SLOW_LITERAL = Symbol('slow literal');

/**
 * The hot loop: numbers of a flat array (from its first element to `]`) into `scratch`, with the
 * position in a local. Returns the count and sets `scanEnd` past the `]`; returns -1 when the
 * array holds anything but plain numbers (the caller then takes the generic path from the start).
 */
function scanNumbers(b: Uint8Array, start: number): number {
  let i = start;
  let n = 0;
  let buf = scratch;
  for (;;) {
    let c = b[i];
    let neg = false;
    if (c === MINUS) {
      neg = true;
      c = b[++i];
    }
    const literal = neg ? i - 1 : i;
    let mantissa = 0;
    let digits = 0;
    let frac = 0;
    if (c === 0x30) {
      c = b[++i];
    } else if (c >= 0x31 && c <= 0x39) {
      while (c >= 0x30 && c <= 0x39) {
        mantissa = mantissa * 10 + (c - 0x30);
        digits++;
        c = b[++i];
      }
    } else {
      return -1;
    }
    if (c === DOT) {
      c = b[++i];
      if (!(c >= 0x30 && c <= 0x39)) return -1;
      while (c >= 0x30 && c <= 0x39) {
        mantissa = mantissa * 10 + (c - 0x30);
        if (mantissa !== 0) digits++;
        frac++;
        c = b[++i];
      }
    }
    let v: number;
    if (c === 0x65 || c === 0x45 || digits > 15 || frac > 22) {
      // Exponents and long mantissas: let Number() read the literal exactly.
      if (bailOnSlowLiteral) throw SLOW_LITERAL;
      if (c === 0x65 || c === 0x45) {
        c = b[++i];
        if (c === 0x2b || c === MINUS) c = b[++i];
        if (!(c >= 0x30 && c <= 0x39)) return -1;
        while (c >= 0x30 && c <= 0x39) c = b[++i];
      }
      v = Number(Buffer.prototype.latin1Slice.call(b, literal, i) as string);
      // Out of the double range: the generic path refuses it with its position.
      if (!Number.isFinite(v)) return -1;
    } else {
      v = frac > 0 ? mantissa / POW10[frac] : mantissa;
      if (neg) v = -v;
    }
    if (n === buf.length) {
      const bigger = new Float64Array(buf.length * 2);
      bigger.set(buf);
      buf = scratch = bigger;
    }
    buf[n++] = v;
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = b[++i];
    if (c === COMMA) {
      c = b[++i];
      while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = b[++i];
      continue;
    }
    if (c === RBRACKET) {
      scanEnd = i + 1;
      return n;
    }
    return -1;
  }
}

class Scanner {
  pos = 0;
  depth = 0;
  constructor(
    readonly buf: Uint8Array,
    readonly end: number,
  ) {}

  fail(what: string, reason = 'MALFORMED_JSON'): never {
    throw invalidArgument(`malformed JSON: ${what} at byte ${this.pos}`, { reason });
  }

  enter(): void {
    if (++this.depth > MAX_JSON_DEPTH) this.fail(`nested deeper than ${MAX_JSON_DEPTH} levels`, 'JSON_TOO_DEEP');
  }

  ws(): number {
    const b = this.buf;
    let c = b[this.pos];
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = b[++this.pos];
    return this.pos < this.end ? c : -1;
  }

  value(): unknown {
    const c = this.ws();
    if (c === LBRACE) return this.object();
    if (c === LBRACKET) return this.array();
    if (c === QUOTE) return this.string();
    if (c === MINUS || (c >= 0x30 && c <= 0x39)) return this.number();
    if (c === 0x74) return this.literal('true', true);
    if (c === 0x66) return this.literal('false', false);
    if (c === 0x6e) return this.literal('null', null);
    return this.fail(c === -1 ? 'unexpected end' : `unexpected character '${String.fromCharCode(c)}'`);
  }

  literal<T>(word: string, v: T): T {
    for (let i = 0; i < word.length; i++) {
      if (this.buf[this.pos + i] !== word.charCodeAt(i)) this.fail('invalid literal');
    }
    this.pos += word.length;
    return v;
  }

  object(): Record<string, unknown> {
    this.enter();
    this.pos++;
    const out: Record<string, unknown> = {};
    let c = this.ws();
    if (c === RBRACE) {
      this.pos++;
      this.depth--;
      return out;
    }
    for (;;) {
      if (c !== QUOTE) this.fail('expected a property name');
      const key = this.string();
      if (this.ws() !== COLON) this.fail("expected ':'");
      this.pos++;
      const v = this.value();
      if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true });
      else out[key] = v;
      c = this.ws();
      if (c === COMMA) {
        this.pos++;
        c = this.ws();
        continue;
      }
      if (c === RBRACE) {
        this.pos++;
        this.depth--;
        return out;
      }
      this.fail("expected ',' or '}'");
    }
  }

  array(): unknown[] | Float64Array {
    this.enter();
    this.pos++;
    const c = this.ws();
    if (c === RBRACKET) {
      this.pos++;
      this.depth--;
      return [];
    }
    if (c === MINUS || (c >= 0x30 && c <= 0x39)) {
      const count = scanNumbers(this.buf, this.pos);
      if (count >= 0) {
        this.pos = scanEnd;
        this.depth--;
        return scratch.slice(0, count);
      }
    }
    return this.rest([]);
  }

  /** The generic array loop, continuing after `out` (positioned at the next value). */
  rest(out: unknown[]): unknown[] {
    for (;;) {
      out.push(this.value());
      const c = this.ws();
      if (c === COMMA) {
        this.pos++;
        continue;
      }
      if (c === RBRACKET) {
        this.pos++;
        this.depth--;
        return out;
      }
      this.fail("expected ',' or ']'");
    }
  }

  string(): string {
    const b = this.buf;
    const start = ++this.pos;
    let plain = true;
    for (;;) {
      const c = b[this.pos];
      if (this.pos >= this.end) this.fail('unterminated string');
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        plain = false;
        this.pos += 2;
        continue;
      }
      if (c < 0x20) this.fail('control character in string');
      if (c >= 0x80) plain = false;
      this.pos++;
    }
    const endPos = this.pos++;
    if (plain) return Buffer.prototype.latin1Slice.call(b, start, endPos) as string;
    try {
      return JSON.parse(Buffer.prototype.utf8Slice.call(b, start - 1, endPos + 1) as string) as string;
    } catch {
      return this.fail('invalid string escape');
    }
  }

  number(): number {
    const b = this.buf;
    const start = this.pos;
    let c = b[this.pos];
    let neg = false;
    if (c === MINUS) {
      neg = true;
      c = b[++this.pos];
    }
    let mantissa = 0;
    let digits = 0;
    let frac = 0;
    if (c === 0x30) {
      c = b[++this.pos];
    } else if (c >= 0x31 && c <= 0x39) {
      while (c >= 0x30 && c <= 0x39) {
        mantissa = mantissa * 10 + (c - 0x30);
        digits++;
        c = b[++this.pos];
      }
    } else {
      this.fail('invalid number');
    }
    if (c === DOT) {
      c = b[++this.pos];
      if (!(c >= 0x30 && c <= 0x39)) this.fail('invalid number');
      while (c >= 0x30 && c <= 0x39) {
        mantissa = mantissa * 10 + (c - 0x30);
        if (mantissa !== 0) digits++;
        frac++;
        c = b[++this.pos];
      }
    }
    let exp = 0;
    if (c === 0x65 || c === 0x45) {
      c = b[++this.pos];
      let expNeg = false;
      if (c === 0x2b || c === MINUS) {
        expNeg = c === MINUS;
        c = b[++this.pos];
      }
      if (!(c >= 0x30 && c <= 0x39)) this.fail('invalid number');
      while (c >= 0x30 && c <= 0x39) {
        // Saturates: any exponent this large leaves the fast path, Number() reads the literal.
        if (exp <= 100000) exp = exp * 10 + (c - 0x30);
        c = b[++this.pos];
      }
      if (expNeg) exp = -exp;
    }
    const scale = exp - frac;
    if (digits <= 15 && scale >= -22 && scale <= 22) {
      const v = scale < 0 ? mantissa / POW10[-scale] : mantissa * POW10[scale];
      return neg ? -v : v;
    }
    const v = Number(Buffer.prototype.latin1Slice.call(b, start, this.pos) as string);
    if (!Number.isFinite(v)) {
      this.pos = start;
      this.fail('number out of the double range', 'NUMBER_OUT_OF_RANGE');
    }
    return v;
  }
}

/**
 * Containers (arrays and objects) per KiB of body above which the body skips JSON.parse, bounding
 * what JSON.parse may build before the depth check. A [rows, 784] tensor written as nested rows
 * has about one array per 8-16 KiB.
 */
const MAX_CONTAINERS_PER_KIB = 1;

/** Whether `text` holds at most `cap` `[` and `{` characters (strings included: an over-count only costs speed). */
function fewContainers(text: string, cap: number): boolean {
  let count = 0;
  for (const open of ['[', '{']) {
    for (let i = text.indexOf(open); i !== -1; i = text.indexOf(open, i + 1)) {
      if (++count > cap) return false;
    }
  }
  return true;
}

/**
 * `v` (from JSON.parse) with number-only arrays as Float64Array, or undefined when it breaks a
 * limit (nesting deeper than MAX_JSON_DEPTH, a number beyond the double range): the scanner then
 * produces the error.
 */
function typedArrays(v: unknown, depth: number): unknown {
  if (typeof v !== 'object' || v === null) return typeof v === 'number' && v - v !== 0 ? undefined : v;
  if (depth > MAX_JSON_DEPTH) return undefined;
  if (Array.isArray(v)) {
    const n = v.length;
    if (n > 0 && typeof v[0] === 'number') {
      const out = new Float64Array(n);
      let i = 0;
      for (; i < n; i++) {
        const x: unknown = v[i];
        if (typeof x !== 'number') break;
        if (x - x !== 0) return undefined;
        out[i] = x;
      }
      if (i === n) return out;
    }
    for (let i = 0; i < n; i++) {
      const x = typedArrays(v[i], depth + 1);
      if (x === undefined) return undefined;
      v[i] = x;
    }
    return v;
  }
  const o = v as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    const x = typedArrays(o[key], depth + 1);
    if (x === undefined) return undefined;
    o[key] = x;
  }
  return o;
}

/** The byte scanner alone (the reference for values and errors; see the top of this file). */
export function scanJsonBytes(bytes: Uint8Array, length: number): unknown {
  const s = new Scanner(length === bytes.length ? bytes : bytes.subarray(0, length), length);
  const v = s.value();
  if (s.ws() !== -1) s.fail('unexpected trailing data');
  return v;
}

/**
 * Parses JSON from `bytes[0..length)`; throws INVALID_ARGUMENT (reason MALFORMED_JSON,
 * JSON_TOO_DEEP or NUMBER_OUT_OF_RANGE). Arrays of numbers only are returned as Float64Array.
 */
export function parseJsonBytes(bytes: Uint8Array, length = bytes.length): unknown {
  bailOnSlowLiteral = true;
  try {
    return scanJsonBytes(bytes, length);
  } catch (e) {
    if (e !== SLOW_LITERAL) throw e;
  } finally {
    bailOnSlowLiteral = false;
  }
  const text = Buffer.prototype.utf8Slice.call(bytes, 0, length) as string;
  if (fewContainers(text, Math.max(MAX_JSON_DEPTH, (length >> 10) * MAX_CONTAINERS_PER_KIB))) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      return scanJsonBytes(bytes, length);
    }
    const typed = typedArrays(doc, 1);
    if (typed !== undefined) return typed;
  }
  return scanJsonBytes(bytes, length);
}
