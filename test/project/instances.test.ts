import { describe, expect, it } from 'vitest';
import { expandInstances } from '../../src/project/jobs/instances.js';
import { parseParameterValue, type Parameter } from '../../src/project/jobs/parameters.js';
import { addDuration, parseDuration } from '../../src/project/jobs/duration.js';

const year: Parameter = { name: 'year', type: 'integer', default: 2013 };
const day: Parameter = { name: 'day', type: 'date' };
const region: Parameter = { name: 'region', type: 'string', default: 'eu' };

describe('job instances', () => {
  it('uses defaults, fixed values, and exclusive integer ranges with steps', () => {
    expect(expandInstances('main', [year], []).map((i) => i.key)).toEqual(['year=2013']);
    expect(expandInstances('main', [year], ['year=2001']).map((i) => i.key)).toEqual(['year=2001']);
    expect(expandInstances('main', [year], ['year:start=2000', 'year:end=2004']).map((i) => i.texts.year)).toEqual(['2000', '2001', '2002', '2003']);
    expect(expandInstances('main', [year], ['year:start=2000', 'year:end=2007', 'year:step=3']).map((i) => i.texts.year)).toEqual(['2000', '2003', '2006']);
  });

  it('steps dates by ISO durations and combines ranges as a cartesian product, first parameter slowest', () => {
    const out = expandInstances('main', [region, day], ['region=us', 'day:start=2020-01-30', 'day:end=2020-02-02']);
    expect(out.map((i) => i.key)).toEqual(['region=us,day=2020-01-30', 'region=us,day=2020-01-31', 'region=us,day=2020-02-01']);
    const months = expandInstances('main', [day], ['day:start=2020-01-31', 'day:end=2020-05-01', 'day:step=P1M']);
    expect(months.map((i) => i.texts.day)).toEqual(['2020-01-31', '2020-02-29', '2020-03-31', '2020-04-30']);
    const both = expandInstances('main', [year, region], ['year:start=1', 'year:end=3', 'region:start=a', 'region:end=b'].slice(0, 2));
    expect(both.map((i) => i.key)).toEqual(['year=1,region=eu', 'year=2,region=eu']);
  });

  it('explains every bad argument', () => {
    expect(() => expandInstances('main', [year], ['yeer=2'])).toThrow(/job `main` has no parameter `yeer` \(did you mean `year`\?\); year \(integer, default 2013\)/);
    expect(() => expandInstances('main', [day], [])).toThrow(/missing a value for parameter `day`, which has no default/);
    expect(() => expandInstances('main', [year], ['year=20x3'])).toThrow(/expected a whole number such as 2013 for parameter `year` \(integer\), got "20x3"/);
    expect(() => expandInstances('main', [year], ['year:start=2000'])).toThrow(/needs both year:start=… and year:end=… \(the end is exclusive\)/);
    expect(() => expandInstances('main', [year], ['year:start=2000', 'year:end=2000'])).toThrow(/gives no instance — the end is exclusive, so it must be above the start \(e\.g\. year:end=2001\)/);
    expect(() => expandInstances('main', [year], ['year=1', 'year=2'])).toThrow(/parameter `year` is given twice \(year=1, year=2\); give it once/);
    expect(() => expandInstances('main', [year], ['year:start=1', 'year:start=2', 'year:end=5'])).toThrow(/year:start is given twice \(1 and 2\)/);
    expect(() => expandInstances('main', [day], ['day:start=2020-01-01', 'day:end=2020-01-04', 'day:step=PT6H'])).toThrow(
      /parameter `day` is a date, so day:step must be whole days, weeks, months or years \(P1D, P1W, P1M, P1Y\), got "PT6H"; for hours, make `day` a timestamp parameter/,
    );
    expect(() => expandInstances('main', [year], ['year=1', 'year:start=2'])).toThrow(/both a value and a range/);
    expect(() => expandInstances('main', [region], ['region:start=a', 'region:end=b'])).toThrow(/of type string, which has no ranges/);
  });

  it('parses every parameter type', () => {
    const p = (type: Parameter['type'], text: string): unknown => parseParameterValue({ name: 'x', type }, text, 'x');
    expect(p('boolean', 'true')).toBe(true);
    expect(p('double', '1.5')).toBe(1.5);
    expect((p('timestamp', '2020-01-01T10:00:00Z') as Date).toISOString()).toBe('2020-01-01T10:00:00.000Z');
    expect((p('duration', 'pt6h') as { ms: number }).ms).toBe(6 * 3600_000);
    expect(() => p('date', '2020-02-30')).toThrow(/expected a date such as 2013-01-31/);
    expect(() => p('integer', '9999999999')).toThrow(/at most/);
  });

  it('adds calendar durations in UTC', () => {
    expect(addDuration(new Date('2020-01-31T00:00:00Z'), parseDuration('P1M')!).toISOString()).toBe('2020-02-29T00:00:00.000Z');
    expect(addDuration(new Date('2020-01-01T00:00:00Z'), parseDuration('P1Y2M3DT4H')!).toISOString()).toBe('2021-03-04T04:00:00.000Z');
    expect(parseDuration('P')).toBeUndefined();
    expect(parseDuration('PT')).toBeUndefined();
    expect(parseDuration('P0D')).toBeUndefined();
  });
});
