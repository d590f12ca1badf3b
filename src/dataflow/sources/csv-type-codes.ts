/** Column types of a CSV schema as small integers, for the converters' per-field dispatch. */
import type { ColumnType } from '../batch/batch.js';

export const F64 = 0;
export const I32 = 1;
export const BOOL = 2;
export const TIME = 3;
export const STR = 4;
export const ANY = 5;
/** A string or `any` column the job does not read: any bytes are valid, nothing is kept. */
export const SKIP = 6;

/** The code of each column type. */
export const CODES: Readonly<Record<ColumnType, number>> = { float64: F64, int32: I32, bool: BOOL, timestamp: TIME, string: STR, any: ANY };
