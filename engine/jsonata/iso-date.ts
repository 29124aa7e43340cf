/**
 * Date/time text → ISO 8601 in UTC (`YYYY-MM-DDTHH:MM:SS.sssZ`, what `Date#toISOString` writes), without
 * `Date` string parsing or `toISOString` on the common shapes: both cost about a microsecond each, and `$toIso`
 * runs several times per record on every list page. Anything outside the shapes read here goes to `Date`.
 */

const MS_PER_DAY = 86_400_000;
/** 0000-01-01 and 10000-01-01: the years written with four digits. */
const FIRST_MS = -62_167_219_200_000;
const END_MS = 253_402_300_800_000;

const digit = (text: string, i: number): number => {
  const c = text.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
};

/** Digits text[from, from + count) as a number; -1 when any of them is not a digit. */
function digits(text: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const d = digit(text, i);
    if (d < 0) return -1;
    n = n * 10 + d;
  }
  return n;
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

/** `text` when it already is `YYYY-MM-DDTHH:MM:SS.sssZ` naming a real instant; undefined otherwise. */
export function canonicalIso(text: string): string | undefined {
  if (text.length !== 24 || text.charCodeAt(23) !== 90 /* Z */ || text.charCodeAt(19) !== 46 /* . */) return undefined;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return undefined;
  if (digits(text, 20, 3) < 0) return undefined;
  return valid(digits(text, 0, 4), digits(text, 5, 2), digits(text, 8, 2), digits(text, 11, 2), digits(text, 14, 2), digits(text, 17, 2)) ? text : undefined;
}

/**
 * `YYYY-MM-DD`, optionally `[T ]HH:MM[:SS[.f{1,3}]]`, optionally a zone (`Z`, `±HH:MM`, `±HHMM`, `UTC`, `GMT`, after
 * optional spaces); naive times are UTC. Epoch milliseconds, or undefined when the text has another shape or names no
 * real instant (the caller then lets `Date` decide, so odd inputs keep `Date`'s reading).
 */
const SHAPE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?\s*(?:(Z|UTC|GMT)|([+-])(\d{2}):?(\d{2}))?$/i;

export function parseIsoLike(text: string): number | undefined {
  const m = SHAPE.exec(text);
  if (m === null) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (!valid(year, month, day, hour, minute, second)) return undefined;
  if (m[4] === undefined && (m[8] !== undefined || m[9] !== undefined)) return undefined; // a zone but no time: let Date decide
  const millis = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0'));
  let offsetMinutes = 0;
  if (m[9] !== undefined) {
    const [oh, om] = [Number(m[10]), Number(m[11])];
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day); // Date.UTC would read years 0-99 as 1900-1999
  utc.setUTCHours(hour, minute, second, millis);
  return utc.getTime() - offsetMinutes * 60_000;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);
const pad4 = (n: number): string => (n < 1000 ? `0${pad3(n)}` : `${n}`);

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
