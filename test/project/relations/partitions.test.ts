import { describe, expect, it } from 'vitest';
import { ProjectError } from '../../../src/project/errors.js';
import {
  escapePathValue,
  filterMatches,
  formatPartitionValue,
  parsePartitionSegment,
  parsePartitionValue,
  partitionFilterFromSpec,
  partitionKey,
  partitionRange,
  partitionSegment,
  partitionValuesFromSpec,
  unescapePathValue,
} from '../../../src/project/relations/partitions.js';
import type { PartitionColumn } from '../../../src/project/relations/relation.js';

const year: PartitionColumn = { name: 'year', type: 'integer' };
const day: PartitionColumn = { name: 'day', type: 'date' };
const utc = (text: string): Date => new Date(text.length === 10 ? `${text}T00:00:00Z` : text);

describe('partition values', () => {
  it('types raw scalars by column type', () => {
    expect(parsePartitionValue(year, '2013')).toBe(2013);
    expect(parsePartitionValue(year, 2013)).toBe(2013);
    expect(parsePartitionValue({ name: 'id', type: 'long' }, '9007199254740991')).toBe(9007199254740991);
    expect(parsePartitionValue({ name: 'r', type: 'string' }, 2013)).toBe('2013');
    expect(parsePartitionValue({ name: 'x', type: 'double' }, '1.5')).toBe(1.5);
    expect(parsePartitionValue(day, '2013-01-01')).toEqual(utc('2013-01-01'));
    expect(parsePartitionValue(day, new Date('2013-01-01T15:00:00Z'))).toEqual(utc('2013-01-01'));
    expect(parsePartitionValue({ name: 'ok', type: 'boolean' }, 'TRUE')).toBe(true);
    expect(parsePartitionValue({ name: 'ok', type: 'boolean' }, false)).toBe(false);
    const ts: PartitionColumn = { name: 'ts', type: 'timestamp' };
    expect(parsePartitionValue(ts, '2013-01-01T10:00:00Z')).toEqual(utc('2013-01-01T10:00:00Z'));
    expect(parsePartitionValue(ts, '2013-01-01 10:00:00')).toEqual(utc('2013-01-01T10:00:00Z'));
    expect(parsePartitionValue(ts, '2013-01-01T12:00:00.5+02:00')).toEqual(utc('2013-01-01T10:00:00.500Z'));
  });

  it('says what the column expects and what arrived', () => {
    let error: unknown;
    try {
      parsePartitionValue(year, '20x3');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProjectError);
    expect((error as Error).message).toBe('expected an integer (-2147483648 to 2147483647) for partition column year, got "20x3"');
    expect(() => parsePartitionValue(year, 2 ** 31)).toThrow('for partition column year, got 2147483648');
    expect(() => parsePartitionValue(year, 1.5)).toThrow('got 1.5');
    expect(() => parsePartitionValue(day, '2013-13-01')).toThrow('expected a date like 2013-01-01 for partition column day, got "2013-13-01"');
    expect(() => parsePartitionValue({ name: 'ok', type: 'boolean' }, 'yes')).toThrow('expected true or false for partition column ok, got "yes"');
    expect(() => parsePartitionValue({ name: 'ts', type: 'timestamp' }, '10:00')).toThrow('expected a timestamp like 2013-01-01T10:00:00Z for partition column ts, got "10:00"');
    expect(() => parsePartitionValue({ name: 's', type: 'string' }, null)).toThrow('expected a string for partition column s, got null');
  });

  it('has one canonical text per value', () => {
    expect(formatPartitionValue('integer', 2013)).toBe('2013');
    expect(formatPartitionValue('date', utc('2013-01-01'))).toBe('2013-01-01');
    expect(formatPartitionValue('timestamp', utc('2013-01-01T10:00:00Z'))).toBe('2013-01-01T10:00:00Z');
    expect(formatPartitionValue('timestamp', utc('2013-01-01T10:00:00.250Z'))).toBe('2013-01-01T10:00:00.250Z');
    expect(formatPartitionValue('boolean', true)).toBe('true');
  });
});

describe('folder names', () => {
  it('escapes like Hive and parses back', () => {
    expect(escapePathValue('a/b=c%d:e')).toBe('a%2Fb%3Dc%25d%3Ae');
    expect(escapePathValue('tab\there\u0001')).toBe('tab%09here%01');
    expect(escapePathValue('plain ümlaut-_.')).toBe('plain ümlaut-_.');
    expect(unescapePathValue('a%2Fb%3Dc%25d%3Ae')).toBe('a/b=c%d:e');
    expect(unescapePathValue('100%')).toBe('100%');
    const region: PartitionColumn = { name: 'region', type: 'string' };
    expect(partitionSegment(region, 'eu/west=1')).toBe('region=eu%2Fwest%3D1');
    expect(parsePartitionSegment(region, 'region=eu%2Fwest%3D1')).toBe('eu/west=1');
    expect(partitionSegment({ name: 'ts', type: 'timestamp' }, utc('2013-01-01T10:00:00Z'))).toBe('ts=2013-01-01T10%3A00%3A00Z');
    expect(parsePartitionSegment(year, 'year=2013')).toBe(2013);
    expect(parsePartitionSegment(year, 'year=abc')).toBeUndefined();
    expect(parsePartitionSegment(year, 'month=1')).toBeUndefined();
    expect(parsePartitionSegment(year, '2013')).toBeUndefined();
  });

  it('keys partitions canonically in column order', () => {
    expect(partitionKey([year, day], { day: '2013-01-02', year: '2013' })).toBe('year=2013/day=2013-01-02');
    expect(partitionKey([year, day], { day: utc('2013-01-02') })).toBe('day=2013-01-02');
    expect(partitionKey([year, day], {})).toBe('');
    expect(() => partitionKey([year], { month: 1 })).toThrow('unknown partition column month: expected one of year (integer)');
  });
});

describe('filters', () => {
  it('turns spec filters into typed conditions and matches values', () => {
    const filter = partitionFilterFromSpec([year, day], { year: [2012, '2014'], day: { start: '2013-01-01', end: '2013-02-01' } });
    expect(filter).toEqual({ year: { kind: 'values', values: [2012, 2014] }, day: { kind: 'range', start: utc('2013-01-01'), end: utc('2013-02-01') } });
    expect(filterMatches(filter, { year: 2012, day: utc('2013-01-31') })).toBe(true);
    expect(filterMatches(filter, { year: 2012, day: utc('2013-02-01') })).toBe(false);
    expect(filterMatches(filter, { year: 2013, day: utc('2013-01-15') })).toBe(false);
    expect(filterMatches(filter, { year: 2014 })).toBe(true);
    expect(filterMatches(undefined, { year: 1 })).toBe(true);
    expect(partitionFilterFromSpec([year], { year: 2013 })).toEqual({ year: { kind: 'values', values: [2013] } });
    expect(partitionFilterFromSpec([year], { year: { end: 2000 } })).toEqual({ year: { kind: 'range', end: 2000 } });
    expect(() => partitionFilterFromSpec([year], { month: 1 }, 'sales')).toThrow('unknown partition column month of relation sales in a filter: expected one of year (integer)');
    expect(() => partitionFilterFromSpec([year], { year: ['x'] })).toThrow('got "x"');
  });

  it('requires a value for every column of a write', () => {
    expect(partitionValuesFromSpec([year, day], { year: 2013, day: '2013-01-01' })).toEqual({ year: 2013, day: utc('2013-01-01') });
    expect(() => partitionValuesFromSpec([year, day], { year: 2013 }, 'sales')).toThrow('missing a value for partition column day of relation sales');
  });
});

describe('ranges', () => {
  it('steps integers by their granularity, end exclusive', () => {
    expect([...partitionRange(year, 2000, 2004)]).toEqual([2000, 2001, 2002, 2003]);
    expect([...partitionRange({ ...year, granularity: 5 }, '2000', '2020')]).toEqual([2000, 2005, 2010, 2015]);
    expect([...partitionRange(year, 2000, 2000)]).toEqual([]);
  });

  it('steps dates by ISO-8601 durations, months clamped to the month end', () => {
    const days = [...partitionRange(day, '2013-02-27', '2013-03-02')].map((d) => formatPartitionValue('date', d));
    expect(days).toEqual(['2013-02-27', '2013-02-28', '2013-03-01']);
    const months = [...partitionRange({ ...day, granularity: 'P1M' }, '2013-01-31', '2013-05-01')].map((d) => formatPartitionValue('date', d));
    expect(months).toEqual(['2013-01-31', '2013-02-28', '2013-03-31', '2013-04-30']);
    const years = [...partitionRange({ ...day, granularity: 'P1Y' }, '2012-02-29', '2015-01-01')].map((d) => formatPartitionValue('date', d));
    expect(years).toEqual(['2012-02-29', '2013-02-28', '2014-02-28']);
    expect([...partitionRange({ ...day, granularity: 'P1W' }, '2013-01-01', '2013-01-20')]).toHaveLength(3);
    const hours = [...partitionRange({ name: 'ts', type: 'timestamp', granularity: 'PT6H' }, '2013-01-01T00:00:00Z', '2013-01-02T00:00:00Z')];
    expect(hours.map((d) => formatPartitionValue('timestamp', d))).toEqual(['2013-01-01T00:00:00Z', '2013-01-01T06:00:00Z', '2013-01-01T12:00:00Z', '2013-01-01T18:00:00Z']);
  });

  it('refuses bad granularities and types without steps', () => {
    expect(() => [...partitionRange({ ...day, granularity: 'P0D' }, '2013-01-01', '2013-02-01')]).toThrow(
      'expected an ISO-8601 duration greater than zero for the granularity of partition column day (e.g. P1D, P1M, P1Y, PT1H), got "P0D"',
    );
    expect(() => [...partitionRange({ ...day, granularity: '1 day' }, '2013-01-01', '2013-02-01')]).toThrow('got "1 day"');
    expect(() => [...partitionRange({ name: 's', type: 'string' }, 'a', 'b')]).toThrow('cannot step through a range of partition column s: its type string has no order of steps');
    expect(() => [...partitionRange({ ...year, granularity: 0 }, 1, 2)]).toThrow(ProjectError);
  });
});
