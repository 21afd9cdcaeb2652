/**
 * Cron schedules as kube-controller-manager and kube-apiserver 1.32 parse them: robfig/cron v3's
 * ParseStandard (five fields, names, ranges, steps, `?`, the @yearly/@annually/@monthly/@weekly/
 * @daily/@midnight/@hourly descriptors and @every <duration>, a TZ= or CRON_TZ= prefix) with its
 * error texts, SpecSchedule.Next including its handling of daylight-saving transitions, and Go's
 * time.LoadLocation for zone names. Time zones come from Intl (IANA names), with offsets cached
 * per quarter hour. Shared by the CronJob controller and CronJob validation.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

// ---- time zones ----------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();

/** UTC, and Go's Local, which is UTC in kube-controller-manager's container. */
function isUTC(zone: string): boolean {
  return zone === '' || zone === 'UTC' || zone === 'Local';
}

/** time.LoadLocation: undefined when the zone loads, else Go's error text. */
export function timeZoneError(zone: string): string | undefined {
  if (isUTC(zone)) return undefined;
  // No IANA name contains "..", or begins with a slash.
  if (zone.includes('..') || zone.startsWith('/') || zone.startsWith('\\')) return 'time: invalid location name';
  // Zone files are named with letters, digits and "/_-+." only (Intl also accepts offsets like +05:00).
  if (!/^[A-Za-z0-9/_+.-]+$/.test(zone) || /^[+-]/.test(zone)) return `unknown time zone ${zone}`;
  try {
    const f = new Intl.DateTimeFormat('en-US', { timeZone: zone });
    const resolved = f.resolvedOptions().timeZone;
    // Go reads zoneinfo files by name: case matters.
    if (resolved !== zone && resolved.toLowerCase() === zone.toLowerCase()) return `unknown time zone ${zone}`;
    return undefined;
  } catch {
    return `unknown time zone ${zone}`;
  }
}

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(zone, f);
  }
  return f;
}

/** The zone's UTC offset (ms) at an instant; transitions fall on quarter hours in every zone in use. */
export function zoneOffset(zone: string, instant: number): number {
  if (isUTC(zone)) return 0;
  const bucket = Math.floor(instant / (15 * MINUTE));
  const key = `${zone}|${bucket}`;
  let off = offsets.get(key);
  if (off === undefined) {
    const at = bucket * 15 * MINUTE;
    const parts: Record<string, number> = {};
    for (const p of formatter(zone).formatToParts(new Date(at))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
    const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour! % 24, parts.minute!, parts.second!);
    off = Math.round((wall - at) / MINUTE) * MINUTE;
    if (offsets.size > 50_000) offsets.clear();
    offsets.set(key, off);
  }
  return off;
}

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

function fieldsIn(zone: string, t: number): Fields {
  const d = new Date(t + zoneOffset(zone, t));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), weekday: d.getUTCDay() };
}

/** time.Date in a zone, normalising overflowing fields, with Go's choice in gaps and overlaps. */
function dateIn(zone: string, year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  let off = zoneOffset(zone, wall);
  const utc = wall - off;
  const there = zoneOffset(zone, utc);
  if (there !== off) off = there;
  return wall - off;
}

// ---- schedules (robfig/cron v3) ------------------------------------------------------------

export interface CronSchedule {
  /** The first activation strictly after `t` (ms), or undefined if none within five years. */
  next(t: number): number | undefined;
}

interface FieldSet {
  bits: boolean[];
  star: boolean;
}

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MINUTES: Bounds = { min: 0, max: 59 };
const HOURS: Bounds = { min: 0, max: 23 };
const DOM: Bounds = { min: 1, max: 31 };
const MONTH: Bounds = { min: 1, max: 12, names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 } };
const DOW: Bounds = { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } };

function fieldSet(min: number, max: number, step: number, star: boolean): FieldSet {
  const bits: boolean[] = [];
  for (let i = min; i <= max; i += step) bits[i] = true;
  return { bits, star };
}

function union(a: FieldSet, b: FieldSet): FieldSet {
  const bits = [...a.bits];
  b.bits.forEach((v, i) => {
    if (v) bits[i] = true;
  });
  return { bits, star: a.star || b.star };
}

/** mustParseInt: strconv.Atoi, non-negative. */
function atoi(expr: string): number {
  if (!/^[+-]?\d+$/.test(expr)) throw new Error(`failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`);
  const big = BigInt(expr);
  if (big > 9223372036854775807n || big < -9223372036854775808n) throw new Error(`failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: value out of range`);
  const n = Number(big);
  if (n < 0) throw new Error(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

function intOrName(expr: string, names: Record<string, number> | undefined): number {
  const named = names?.[expr.toLowerCase()];
  return named !== undefined ? named : atoi(expr);
}

/** getRange: one comma-separated part of a field. */
function parseRange(expr: string, r: Bounds): FieldSet {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0]!.split('-');
  const single = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = r.min;
    end = r.max;
    star = true;
  } else {
    start = intOrName(lowAndHigh[0]!, r.names);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = intOrName(lowAndHigh[1]!, r.names);
    else throw new Error(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = atoi(rangeAndStep[1]!);
    if (single) end = r.max;
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) throw new Error(`too many slashes: ${expr}`);
  if (start < r.min) throw new Error(`beginning of range (${start}) below minimum (${r.min}): ${expr}`);
  if (end > r.max) throw new Error(`end of range (${end}) above maximum (${r.max}): ${expr}`);
  if (start > end) throw new Error(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new Error(`step of range should be a positive number: ${expr}`);
  return fieldSet(start, end, step, star);
}

/** getField: the comma-separated parts (empty ones skipped, as strings.FieldsFunc does). */
function parseField(field: string, r: Bounds): FieldSet {
  return field
    .split(',')
    .filter((part) => part !== '')
    .map((part) => parseRange(part, r))
    .reduce(union, { bits: [], star: false });
}

const all = (r: Bounds) => fieldSet(r.min, r.max, 1, true);
const only = (v: number) => fieldSet(v, v, 1, false);

class SpecSchedule implements CronSchedule {
  constructor(
    private readonly minute: FieldSet,
    private readonly hour: FieldSet,
    private readonly dom: FieldSet,
    private readonly month: FieldSet,
    private readonly dow: FieldSet,
    private readonly zone: string,
  ) {}

  private dayMatches(f: Fields): boolean {
    const domMatch = this.dom.bits[f.day] === true;
    const dowMatch = this.dow.bits[f.weekday] === true;
    if (this.dom.star || this.dow.star) return domMatch && dowMatch;
    return domMatch || dowMatch;
  }

  /** SpecSchedule.Next, field by field, with real-time hour and minute steps across DST changes. */
  next(from: number): number | undefined {
    const z = this.zone;
    // The upcoming second; five-field schedules fire at second 0.
    let t = Math.floor(from / SECOND) * SECOND + SECOND;
    let added = false;
    let f = fieldsIn(z, t);
    const yearLimit = f.year + 5;
    wrap: for (;;) {
      f = fieldsIn(z, t);
      if (f.year > yearLimit) return undefined;
      while (!this.month.bits[f.month]) {
        if (!added) {
          added = true;
          t = dateIn(z, f.year, f.month, 1, 0, 0, 0);
          f = fieldsIn(z, t);
        }
        t = dateIn(z, f.year, f.month + 1, f.day, f.hour, f.minute, f.second);
        f = fieldsIn(z, t);
        if (f.month === 1) continue wrap;
      }
      while (!this.dayMatches(f)) {
        if (!added) {
          added = true;
          t = dateIn(z, f.year, f.month, f.day, 0, 0, 0);
          f = fieldsIn(z, t);
        }
        t = dateIn(z, f.year, f.month, f.day + 1, f.hour, f.minute, f.second);
        f = fieldsIn(z, t);
        // Midnight may have moved with a DST change.
        if (f.hour !== 0) {
          t += f.hour > 12 ? (24 - f.hour) * HOUR : -f.hour * HOUR;
          f = fieldsIn(z, t);
        }
        if (f.day === 1) continue wrap;
      }
      while (!this.hour.bits[f.hour]) {
        if (!added) {
          added = true;
          t = dateIn(z, f.year, f.month, f.day, f.hour, 0, 0);
        }
        t += HOUR;
        f = fieldsIn(z, t);
        if (f.hour === 0) continue wrap;
      }
      while (!this.minute.bits[f.minute]) {
        if (!added) {
          added = true;
          t = Math.floor(t / MINUTE) * MINUTE;
        }
        t += MINUTE;
        f = fieldsIn(z, t);
        if (f.minute === 0) continue wrap;
      }
      if (f.second !== 0) {
        // Seconds count up to the next whole minute, which is checked again from the month.
        added = true;
        t = Math.floor(t / MINUTE) * MINUTE + MINUTE;
        continue wrap;
      }
      return t;
    }
  }
}

/** @every: a constant delay, at least a second, in whole seconds. */
class ConstantDelaySchedule implements CronSchedule {
  constructor(private readonly delay: number) {}
  next(t: number): number {
    return Math.floor(t / SECOND) * SECOND + this.delay;
  }
}

const GO_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: SECOND, m: MINUTE, h: HOUR };

/** time.ParseDuration, in ms, with its error texts. */
function parseGoDuration(text: string): number {
  const quote = (v: string) => JSON.stringify(v);
  const invalid = () => new Error(`time: invalid duration ${quote(text)}`);
  let s = text;
  let neg = false;
  if (s[0] === '-' || s[0] === '+') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw invalid();
  let total = 0;
  while (s !== '') {
    const m = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    if (!(s[0] === '.' || (s[0]! >= '0' && s[0]! <= '9'))) throw invalid();
    const pre = m[1] !== '';
    const post = m[2] !== undefined && m[2] !== '';
    if (!pre && !post) throw invalid();
    s = s.slice(m[0].length);
    const unitLength = /^[^.0-9]*/.exec(s)![0].length;
    if (unitLength === 0) throw new Error(`time: missing unit in duration ${quote(text)}`);
    const unit = s.slice(0, unitLength);
    s = s.slice(unitLength);
    const scale = GO_UNITS[unit];
    if (scale === undefined) throw new Error(`time: unknown unit ${quote(unit)} in duration ${quote(text)}`);
    total += Number(`${m[1] || '0'}.${m[2] ?? ''}`) * scale;
  }
  return neg ? -total : total;
}

/**
 * cron.ParseStandard: a five-field spec or a descriptor, optionally prefixed with TZ=<zone>;
 * without a zone, `zone` (the controller's local time, UTC) applies. Throws robfig's errors.
 */
export function parseCronSchedule(spec: string, zone = 'UTC'): CronSchedule {
  if (spec.length === 0) throw new Error('empty spec string');
  let loc = zone;
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    const space = spec.indexOf(' ');
    const name = spec.slice(spec.indexOf('=') + 1, space < 0 ? undefined : space);
    const err = timeZoneError(name);
    if (err) throw new Error(`provided bad location ${name}: ${err}`);
    loc = name;
    spec = space < 0 ? '' : spec.slice(space).trim();
  }
  if (spec.startsWith('@')) {
    switch (spec) {
      case '@yearly':
      case '@annually':
        return new SpecSchedule(only(0), only(0), only(1), only(1), all(DOW), loc);
      case '@monthly':
        return new SpecSchedule(only(0), only(0), only(1), all(MONTH), all(DOW), loc);
      case '@weekly':
        return new SpecSchedule(only(0), only(0), all(DOM), all(MONTH), only(0), loc);
      case '@daily':
      case '@midnight':
        return new SpecSchedule(only(0), only(0), all(DOM), all(MONTH), all(DOW), loc);
      case '@hourly':
        return new SpecSchedule(only(0), all(HOURS), all(DOM), all(MONTH), all(DOW), loc);
    }
    if (spec.startsWith('@every ')) {
      let delay: number;
      try {
        delay = parseGoDuration(spec.slice('@every '.length));
      } catch (e) {
        throw new Error(`failed to parse duration ${spec}: ${(e as Error).message}`);
      }
      if (delay < SECOND) delay = SECOND;
      return new ConstantDelaySchedule(delay - (delay % SECOND));
    }
    throw new Error(`unrecognized descriptor: ${spec}`);
  }
  const fields = spec.split(/\s+/).filter(Boolean);
  if (fields.length !== 5) throw new Error(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  return new SpecSchedule(parseField(fields[0]!, MINUTES), parseField(fields[1]!, HOURS), parseField(fields[2]!, DOM), parseField(fields[3]!, MONTH), parseField(fields[4]!, DOW), loc);
}

