/**
 * The one-pass path of CSV reading: plain records — one line each, no quotes, values that parse —
 * are converted while their bytes are scanned, so each byte is read once (the general path scans
 * a record into field offsets, then parses each field again). Numbers are parsed digit by digit as
 * they are found and strings hashed for the interner on the way, with exactly the results of
 * `parseNumberBytes` and `ByteInterner.intern`. The first record that is not plain — a quote at a
 * field start, a value that does not parse, too few or too many fields, a line that does not end
 * before the buffer does — stops the run untouched, and the reader gives it to the scanner, which
 * handles (or reports) everything the dialect allows.
 */
import { parseBoolBytes, parseIsoBytes, parseIsoDateTime19Into, parseNumberBytes } from './byte-values.js';
import { HASH_SEED } from './byte-interner.js';
import type { RowColumns } from './csv-row-converter.js';
import { BOOL, F64, I32, SKIP, STR, TIME } from './csv-type-codes.js';

const LF = 10;
const CR = 13;
/** Bytes of a `YYYY-MM-DDTHH:MM:SS` timestamp: with a delimiter among them, the one-pass form is off. */
const ISO_BYTES = new Set([...'0123456789-:T '].map((ch) => ch.charCodeAt(0)));
const ISO_LENGTH = 19;
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/** What the one-pass path needs of the converter. */
export interface PlainTarget extends RowColumns {
  plainState(): { codes: readonly number[]; delimiter: number; quote: number; row: number; entries: Int32Array; nulls: Uint8Array };
  commitRow(): void;
}

/**
 * Converts plain records from `pos` while they start before `stop`, up to `maxRows` of them.
 * @returns the offset after the last converted record and how many were converted.
 */
export function scanPlainRecords(target: PlainTarget, buf: Uint8Array, pos: number, limit: number, stop: number, maxRows: number): { next: number; rows: number } {
  const { codes, delimiter, quote, entries, nulls } = target.plainState();
  const { floats, ints, bools, interners } = target;
  const n = codes.length;
  const last = n - 1;
  let row = target.plainState().row;
  const isoSafe = !ISO_BYTES.has(delimiter);
  let rows = 0;
  let start = pos;
  records: while (rows < maxRows && start < stop && start < limit) {
    // A blank line is skipped by the reader, not a row of nulls: the scanner decides.
    if (buf[start] === LF || buf[start] === CR) break;
    let i = start;
    for (let c = 0; c < n; c++) {
      if (i >= limit) break records;
      const code = codes[c]!;
      const s = i;
      let b = buf[i]!;
      if (b === quote) break records;
      let e: number;
      if (code === STR) {
        let hash = HASH_SEED;
        while (b !== delimiter && b !== LF) {
          hash = Math.imul(hash ^ b, 0x01000193);
          if (++i >= limit) break records;
          b = buf[i]!;
        }
        e = i;
        if (b === LF && e > s && buf[e - 1] === CR) e--;
        if (e === s) nulls[c] = 1;
        else {
          nulls[c] = 0;
          entries[c] = e === i ? interners[c]!.internHashed(buf, s, e, hash) : interners[c]!.intern(buf, s, e);
        }
      } else if (code === F64 || code === I32) {
        // parseNumberBytes, inline: sign, digits, optional fraction; anything else goes to the scanner.
        let negative = false;
        if (b === 45 || b === 43) {
          negative = b === 45;
          if (++i >= limit) break records;
          b = buf[i]!;
        }
        let mantissa = 0;
        let digits = 0;
        let fraction = 0;
        while (b >= 48 && b <= 57) {
          mantissa = mantissa * 10 + (b - 48);
          digits++;
          if (++i >= limit) break records;
          b = buf[i]!;
        }
        if (b === 46) {
          if (++i >= limit) break records;
          b = buf[i]!;
          while (b >= 48 && b <= 57) {
            mantissa = mantissa * 10 + (b - 48);
            digits++;
            fraction++;
            if (++i >= limit) break records;
            b = buf[i]!;
          }
        }
        e = i;
        if (b === CR && c === last && i + 1 < limit && buf[i + 1] === LF) b = buf[++i]!;
        if (b !== delimiter && b !== LF) break records;
        if (e === s) nulls[c] = 1;
        else {
          if (digits === 0 || digits > 15) break records;
          const magnitude = fraction === 0 ? mantissa : mantissa / POW10[fraction]!;
          const value = negative ? -magnitude : magnitude;
          if (code === I32) {
            if ((value | 0) !== value) break records;
            ints[c]![row] = value;
          } else floats[c]![row] = value;
          nulls[c] = 0;
        }
      } else if (code === TIME && isoSafe && i + ISO_LENGTH < limit && (buf[i + ISO_LENGTH] === delimiter || buf[i + ISO_LENGTH] === LF) && parseIsoDateTime19Into(buf, i, floats[c]!, row)) {
        // The common timestamp form, checked and converted without a separate scan for its end.
        i += ISO_LENGTH;
        b = buf[i]!;
        nulls[c] = 0;
      } else {
        while (b !== delimiter && b !== LF) {
          if (++i >= limit) break records;
          b = buf[i]!;
        }
        e = i;
        if (b === LF && e > s && buf[e - 1] === CR) e--;
        if (code === SKIP) {
          // A column the job does not read and any bytes fit: nothing to check or keep.
        } else if (e === s) nulls[c] = 1;
        else if (code === BOOL) {
          const value = parseBoolBytes(buf, s, e);
          if (value < 0) break records;
          bools[c]![row] = value;
          nulls[c] = 0;
        } else {
          const value = code === TIME && e - s >= 10 && buf[s + 4] === 45 ? parseIsoBytes(buf, s, e) : parseNumberBytes(buf, s, e);
          if (value !== value) break records;
          floats[c]![row] = value;
          nulls[c] = 0;
        }
      }
      // `b` is the byte after the field: a delimiter between fields, the line end after the last.
      if ((b === LF) !== (c === last)) break records;
      i++;
    }
    target.commitRow();
    row++;
    rows++;
    start = i;
  }
  return { next: start, rows };
}
