import fc from 'fast-check';
import { compileExpression } from '../../engine';
import { firstNonEmpty, joinNonEmpty, mapValues, primaryEmail, removeEmpty, splitName, str, toBool, toIso } from '../../engine/jsonata/functions';

describe('mapping functions for messy provider data', () => {
  test.each([
    ['2026-07-14 00:25:28', '2026-07-14T00:25:28.000Z'],
    ['2026-07-14T00:25:28+0000', '2026-07-14T00:25:28.000Z'],
    ['2026-07-14T02:25:28.5+02:00', '2026-07-14T00:25:28.500Z'],
    ['2026-07-14T00:25:28', '2026-07-14T00:25:28.000Z'],
    ['2026-07-14', '2026-07-14T00:00:00.000Z'],
    ['2026-07-14 00:25:28 UTC', '2026-07-14T00:25:28.000Z'],
    [1784000000, '2026-07-14T03:33:20.000Z'],
    [1784000000000, '2026-07-14T03:33:20.000Z'],
    ['1784000000', '2026-07-14T03:33:20.000Z'],
  ])('toIso(%p) = %p', (input, expected) => expect(toIso(input)).toBe(expected));

  test.each([null, undefined, '', 'not a date', {}])('toIso(%p) is undefined', (input) => expect(toIso(input)).toBeUndefined());

  test.each([
    ['2026-02-30T00:00:00.000Z', '2026-03-02T00:00:00.000Z'], // not a calendar date: Date's roll-over reading, as before
    ['0050-01-01 12:00:00', '0050-01-01T12:00:00.000Z'], // years below 100 are not read as 19xx
    ['Tue, 14 Jul 2026 00:25:28 GMT', '2026-07-14T00:25:28.000Z'],
    [1e20, undefined],
  ])('toIso(%p) = %p (outside the common shapes)', (input, expected) => expect(toIso(input)).toBe(expected));

  test('toIso agrees with Date on generated date-times, zones and epochs', () => {
    const pad = (n: number, width: number) => String(n).padStart(width, '0');
    const instant = fc.record({
      ms: fc.integer({ min: Date.UTC(1000, 0, 1), max: Date.UTC(9999, 11, 31) }),
      offset: fc.integer({ min: -14 * 60, max: 14 * 60 }),
      shape: fc.constantFrom('Z', 'ms+hh:mm', '+hhmm', 'naive space', 'UTC'),
    });
    fc.assert(fc.property(instant, ({ ms, offset, shape }) => {
      const local = new Date(ms + (shape === 'Z' || shape === 'naive space' || shape === 'UTC' ? 0 : offset) * 60_000);
      const [date, time] = local.toISOString().slice(0, 23).split('T') as [string, string];
      const zone = `${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60), 2)}${pad(Math.abs(offset) % 60, 2)}`;
      const text = {
        Z: `${date}T${time}Z`,
        'ms+hh:mm': `${date}T${time}${zone.slice(0, 3)}:${zone.slice(3)}`,
        '+hhmm': `${date}T${time}${zone}`,
        'naive space': `${date} ${time}`,
        UTC: `${date} ${time} UTC`,
      }[shape];
      expect(toIso(text)).toBe(new Date(ms).toISOString());
      const seconds = Math.floor(ms / 1000); // below 1e11 a number is read as epoch seconds, above as milliseconds
      expect(toIso(seconds < 1e11 ? seconds : ms)).toBe(new Date(seconds < 1e11 ? seconds * 1000 : ms).toISOString());
    }), { numRuns: 2000 });
  });

  test('toBool reads booleans written as strings and numbers', () => {
    expect([true, 'true', 'TRUE', '1', 1, 'yes'].map(toBool)).toEqual([true, true, true, true, true, true]);
    expect([false, 'false', '0', 0, 'no'].map(toBool)).toEqual([false, false, false, false, false]);
    expect([null, 'maybe', 2].map(toBool)).toEqual([undefined, undefined, undefined]);
  });

  test('str never produces "null"', () => {
    expect(str(12345)).toBe('12345');
    expect(str(null)).toBeUndefined();
    expect(str('')).toBeUndefined();
    expect(str({ a: 1 })).toBeUndefined();
  });

  test('joinNonEmpty, firstNonEmpty, removeEmpty, splitName, mapValues, primaryEmail', () => {
    expect(joinNonEmpty(['Ada', null, '', 'King'])).toBe('Ada King');
    expect(joinNonEmpty([null])).toBeUndefined();
    expect(firstNonEmpty(null, '', 'x', 'y')).toBe('x');
    expect(removeEmpty({ a: null, b: '', c: [], d: 0, e: 'x' })).toEqual({ d: 0, e: 'x' });
    expect(removeEmpty({ a: null })).toBeUndefined();
    expect(splitName('Ada Lovelace King')).toEqual({ first_name: 'Ada', last_name: 'Lovelace King' });
    expect(splitName('Cher')).toEqual({ first_name: 'Cher' });
    expect(mapValues('ACTIVE', { active: 'active' })).toBe('active');
    expect(mapValues('WEIRD', { active: 'active' })).toBe('WEIRD');
    expect(primaryEmail([{ email: 'a@x' }, { email: 'b@x', is_primary: true }])).toBe('b@x');
  });

  test('they are registered on every mapping expression', async () => {
    const expression = compileExpression('{ "id": $str(id), "name": $joinNonEmpty([first, last]), "at": $toIso(at) }');
    expect(await expression.evaluate({ id: 7, first: 'Ada', last: null, at: '2026-07-14 00:25:28' })).toEqual({ id: '7', name: 'Ada', at: '2026-07-14T00:25:28.000Z' });
  });

  test('plain JSONata concatenation would have written "null" — the reason these exist', async () => {
    expect(await compileExpression('first & " " & last').evaluate({ first: 'Ada', last: null })).toBe('Ada null');
  });
});
