/**
 * Date/time text → ISO 8601 in UTC (`YYYY-MM-DDTHH:MM:SS.sssZ`, what `Date#toISOString` writes), without
 * `Date` string parsing or `toISOString` on the common shapes: both cost about a microsecond each, and `$toIso`
 * runs several times per record on every list page. Anything outside the shapes read here goes to `Date`.
 */

const MS_PER_DAY = 86_400_000;
/** 0000-01-01 and 10000-01-01: the years written with four digits. */
const FIRST_MS = -62_167_219_200_000;
const END_MS = 253_402_300_800_000;

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);
const pad4 = (n: number): string => (n < 1000 ? `0${pad3(n)}` : `${n}`);

const digit = (text: string, i: number): number => {
  const c = text.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
};

/** The two digits at text[i, i + 2) as a number; -1 when either is not a digit. */
function two(text: string, i: number): number {
  const a = text.charCodeAt(i) - 48;
  const b = text.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** The four digits at text[i, i + 4) as a number; -1 when any is not a digit. */
function four(text: string, i: number): number {
  const high = two(text, i);
  const low = two(text, i + 2);
  return high < 0 || low < 0 ? -1 : high * 100 + low;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Calendar fields that name one real instant as written (no roll-over: `Date` would turn 02-30 into 03-02). */
function valid(year: number, month: number, day: number, hour: number, minute: number, second: number): boolean {
  return year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) &&
    hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59;
}

/**
 * `text` when it already is `YYYY-MM-DDTHH:MM:SS.sssZ` naming a real instant (or that text for
 * `YYYY-MM-DDTHH:MM:SSZ`, the other usual form); undefined otherwise.
 */
export function canonicalIso(text: string): string | undefined {
  const n = text.length;
  if ((n !== 24 && n !== 20) || text.charCodeAt(n - 1) !== 90 /* Z */) return undefined;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return undefined;
  if (n === 24 && (text.charCodeAt(19) !== 46 /* . */ || two(text, 20) < 0 || digit(text, 22) < 0)) return undefined;
  if (!valid(four(text, 0), two(text, 5), two(text, 8), two(text, 11), two(text, 14), two(text, 17))) return undefined;
  return n === 24 ? text : `${text.slice(0, 19)}.000Z`;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return era * 146_097 + yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear - 719_468;
}

const isSpace = (code: number): boolean => code === 32 || code === 9;

/** Minutes east of UTC for a zone written `Z`, `UTC`, `GMT`, `±HH:MM` or `±HHMM` filling text[from, end); NaN otherwise. */
function zoneOffset(text: string, from: number): number {
  const rest = text.length - from;
  const first = text.charCodeAt(from);
  if (rest === 1) return first === 90 || first === 122 ? 0 : NaN; // Z z
  if (rest === 3) {
    const word = text.slice(from).toUpperCase();
    return word === 'UTC' || word === 'GMT' ? 0 : NaN;
  }
  if ((first !== 43 && first !== 45) || (rest !== 5 && rest !== 6)) return NaN; // + -
  if (rest === 6 && text.charCodeAt(from + 3) !== 58) return NaN;
  const hours = two(text, from + 1);
  const minutes = two(text, from + rest - 2);
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return NaN;
  return (first === 45 ? -1 : 1) * (hours * 60 + minutes);
}

/**
 * `YYYY-MM-DD`, optionally `[Tt ]HH:MM[:SS[.fraction]]`, optionally a zone after optional spaces (`Z`, `±HH:MM`,
 * `±HHMM`, `UTC`, `GMT`); naive times are UTC. The ISO 8601 UTC text, or undefined when the text has another shape
 * or names no real instant (the caller then lets `Date` decide, so odd inputs keep `Date`'s reading).
 */
export function isoFromText(text: string): string | undefined {
  const n = text.length;
  if (n < 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  const year = four(text, 0);
  const month = two(text, 5);
  const day = two(text, 8);
  let hour = 0;
  let minute = 0;
  let second = 0;
  let millis = 0;
  let fractionDigits = 0;
  let i = 10;
  const separator = text.charCodeAt(i);
  const hasTime = i + 6 <= n && (separator === 84 || separator === 116 || separator === 32) && text.charCodeAt(i + 3) === 58;
  if (hasTime) {
    hour = two(text, i + 1);
    minute = two(text, i + 4);
    i += 6;
    if (i + 3 <= n && text.charCodeAt(i) === 58) {
      second = two(text, i + 1);
      i += 3;
      if (i < n && text.charCodeAt(i) === 46) {
        for (i++; i < n && digit(text, i) >= 0; i++, fractionDigits++) if (fractionDigits < 3) millis = millis * 10 + digit(text, i);
        if (fractionDigits === 0) return undefined;
        millis *= fractionDigits === 1 ? 100 : fractionDigits === 2 ? 10 : 1; // further digits are cut, as Date does
      }
    }
  }
  if (!valid(year, month, day, hour, minute, second)) return undefined;
  while (i < n && isSpace(text.charCodeAt(i))) i++;
  let offset = 0;
  if (i < n) {
    if (!hasTime) return undefined; // a zone but no time: let Date decide
    offset = zoneOffset(text, i);
    if (Number.isNaN(offset)) return undefined;
  }
  // already UTC (the common case): the answer is the text's own date and the validated time fields, and for
  // `YYYY-MM-DDTHH:MM:SS.sss` followed by a zero offset, the text itself up to the milliseconds
  if (offset === 0 && separator === 84 && fractionDigits === 3) return `${text.slice(0, 23)}Z`;
  if (offset === 0) return `${text.slice(0, 10)}T${pad2(hour)}:${pad2(minute)}:${pad2(second)}.${pad3(millis)}Z`;
  return formatIso(daysFromCivil(year, month, day) * MS_PER_DAY + ((hour * 60 + minute - offset) * 60 + second) * 1000 + millis);
}

/** Epoch milliseconds → `YYYY-MM-DDTHH:MM:SS.sssZ`, as `toISOString` writes it; undefined for an invalid time. */
export function formatIso(ms: number): string | undefined {
  if (!Number.isFinite(ms)) return undefined;
  if (ms < FIRST_MS || ms >= END_MS) {
    const date = new Date(ms);
    return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
  }
  const whole = Math.trunc(ms);
  const days = Math.floor(whole / MS_PER_DAY);
  let rest = whole - days * MS_PER_DAY;
  // days → civil date (proleptic Gregorian), after H. Hinnant's days_from_civil inverse
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const hour = Math.floor(rest / 3_600_000);
  rest -= hour * 3_600_000;
  const minute = Math.floor(rest / 60_000);
  rest -= minute * 60_000;
  const second = Math.floor(rest / 1000);
  return `${pad4(year)}-${pad2(month)}-${pad2(day)}T${pad2(hour)}:${pad2(minute)}:${pad2(second)}.${pad3(rest - second * 1000)}Z`;
}
