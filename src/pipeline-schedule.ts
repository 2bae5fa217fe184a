import { Annotations, Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { validationError } from './private/errors';
import { validateWholeNumber } from './private/validation';

/**
 * When a scheduled pipeline runs.
 */
export enum PipelineStartCondition {
  /** Every time the schedule says so. */
  EXPRESSION_MATCH_ONLY = 'EXPRESSION_MATCH_ONLY',
  /** When the schedule says so and a parent image or component has a newer version. */
  EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE = 'EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE',
}

/**
 * The fields of an AWS cron expression; each defaults as noted.
 */
export interface PipelineCronOptions {
  /** Minute of the hour, 0 to 59. @default '0' */
  readonly minute?: string;
  /** Hour of the day, 0 to 23. @default '0' */
  readonly hour?: string;
  /** Day of the month; give this or `weekDay`. @default - every day ('*'), or '?' when `weekDay` is given */
  readonly day?: string;
  /** Month, 1 to 12 or JAN to DEC. @default '*' */
  readonly month?: string;
  /** Day of the week, e.g. 'MON' or '2'; give this or `day`. @default '?' */
  readonly weekDay?: string;
  /** Year, 1970 to 2199. @default '*' */
  readonly year?: string;
}

/**
 * Settings of a schedule besides its expression.
 */
export interface PipelineScheduleOptions {
  /**
   * The IANA time zone the expression is read in, e.g. `Europe/Paris`.
   *
   * @default - UTC
   */
  readonly timezone?: string;

  /**
   * Whether a scheduled run needs newer parent images or components.
   *
   * @default PipelineStartCondition.EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE
   */
  readonly startCondition?: PipelineStartCondition;

  /**
   * Disable the pipeline after this many consecutive failed scheduled runs (1 to 10).
   *
   * @default - Image Builder disables the pipeline after 5 consecutive failed scheduled runs
   */
  readonly autoDisableAfterFailures?: number;
}

/** Image Builder's auto-disable policy allows 1 to 10 failures (API reference, AutoDisablePolicy). */
const AUTO_DISABLE_RANGE = { min: 1, max: 10 };

/**
 * A pipeline schedule: an AWS `cron(...)` expression (six fields) or a `rate(...)` expression,
 * checked at synth time.
 *
 * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/cron-expressions.html
 */
export class PipelineSchedule {
  /**
   * A cron schedule from its fields, e.g. `{ hour: '4', weekDay: 'MON' }` for 04:00 every Monday.
   *
   * @param cron the fields
   * @param options time zone, start condition, auto-disable
   */
  public static cron(cron: PipelineCronOptions, options: PipelineScheduleOptions = {}): PipelineSchedule {
    const weekDay = cron.weekDay ?? '?';
    const day = cron.day ?? (weekDay === '?' ? '*' : '?');
    const fields = [cron.minute ?? '0', cron.hour ?? '0', day, cron.month ?? '*', weekDay, cron.year ?? '*'];
    return new PipelineSchedule(`cron(${fields.join(' ')})`, options);
  }

  /**
   * A schedule every `interval`, e.g. `Duration.days(7)` for `rate(7 days)`: in days when the
   * interval is whole days, else in hours or minutes. The interval must be whole minutes, at least one.
   *
   * @param interval the time between runs
   * @param options time zone, start condition, auto-disable
   */
  public static rate(interval: Duration, options: PipelineScheduleOptions = {}): PipelineSchedule {
    return new PipelineSchedule(rateExpression(interval), options, interval);
  }

  /**
   * A schedule from its expression text: `cron(0 4 ? * MON *)` or `rate(7 days)`.
   *
   * @param expression the expression
   * @param options time zone, start condition, auto-disable
   */
  public static expression(expression: string, options: PipelineScheduleOptions = {}): PipelineSchedule {
    return new PipelineSchedule(expression, options);
  }

  /** The schedule expression. */
  public readonly expressionString: string;
  /** The other settings. */
  public readonly options: PipelineScheduleOptions;
  /** The interval `rate()` was given, checked as a duration rather than as the text made of it. */
  private readonly rateInterval?: Duration;

  private constructor(expression: string, options: PipelineScheduleOptions, rateInterval?: Duration) {
    this.expressionString = expression;
    this.options = options;
    this.rateInterval = rateInterval;
  }

  /**
   * Checks the schedule for the pipeline `scope`.
   *
   * @internal
   */
  public _validate(scope: IConstruct): void {
    validateRateInterval(scope, this.rateInterval);
    validateScheduleExpression(scope, this.expressionString);
    warnNeverRuns(scope, this.expressionString);
    const { timezone, autoDisableAfterFailures: failures } = this.options;
    const timezoneIssue = timezone === undefined || Token.isUnresolved(timezone) ? undefined : timezoneProblem(timezone);
    if (timezoneIssue) {
      throw validationError(`schedule timezone must be an IANA time zone such as 'Europe/Paris' or 'UTC', got '${timezone}', ${timezoneIssue}`, scope);
    }
    validateWholeNumber(scope, 'schedule autoDisableAfterFailures', failures, AUTO_DISABLE_RANGE.min, AUTO_DISABLE_RANGE.max);
  }
}

/**
 * `rate(value unit)` for a duration known at synth time, in the largest unit that divides it; a
 * duration that is no whole number of minutes keeps its text, which `validateRateInterval` refuses;
 * one unknown until deployment keeps its text too, which the check of the expression refuses.
 */
function rateExpression(interval: Duration): string {
  const seconds = interval.toSeconds({ integral: false });
  const minutes = Token.isUnresolved(seconds) ? NaN : seconds / 60;
  if (!Number.isInteger(minutes) || minutes < 1) {
    return `rate(${interval.toHumanString()})`;
  }
  const [value, unit] = minutes % 1440 === 0 ? [minutes / 1440, 'day'] : minutes % 60 === 0 ? [minutes / 60, 'hour'] : [minutes, 'minute'];
  return `rate(${value} ${unit}${value === 1 ? '' : 's'})`;
}

/** A rate counts whole minutes, hours or days, so its interval must be whole minutes. */
function validateRateInterval(scope: IConstruct, interval: Duration | undefined): void {
  // A token's text is left to the check of the expression.
  if (interval === undefined || interval.isUnresolved()) {
    return;
  }
  const seconds = interval.toSeconds({ integral: false });
  if (!Number.isInteger(seconds / 60) || seconds < 60) {
    throw validationError(`schedule rate must be a whole number of minutes, at least 1, got ${seconds} seconds`, scope);
  }
}

const CRON_FORM = 'cron(minutes hours day-of-month month day-of-week year), e.g. cron(0 4 ? * MON *)';
const RATE_FORM = 'rate(value unit) with unit minute(s), hour(s) or day(s), e.g. rate(7 days)';

/**
 * Per field: the allowed range, names and wildcards (user guide, "Use cron expressions in Image
 * Builder": only day-of-month and day-of-week take `?`, only day-of-week takes `#` and not `/`).
 */
interface CronFieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: string[];
  readonly wildcards: string;
}

const CRON_FIELDS: CronFieldSpec[] = [
  { name: 'minutes', min: 0, max: 59, wildcards: ', - * /' },
  { name: 'hours', min: 0, max: 23, wildcards: ', - * /' },
  { name: 'day-of-month', min: 1, max: 31, wildcards: ', - * ? / L W' },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'], wildcards: ', - * /' },
  { name: 'day-of-week', min: 1, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'], wildcards: ', - * ? L #' },
  { name: 'year', min: 1970, max: 2199, wildcards: ', - * /' },
];
const [, , DAY_OF_MONTH, MONTH, DAY_OF_WEEK, YEAR] = CRON_FIELDS;
/** `#` picks the nth weekday of the month, 1 to 5. */
const NTH_WEEK = /^[1-5]$/;

function validateScheduleExpression(scope: IConstruct, expression: string): void {
  if (Token.isUnresolved(expression)) {
    return;
  }
  const fail = (why: string) => {
    throw validationError(`schedule expression must be ${CRON_FORM}, or ${RATE_FORM}; ${why}, got '${expression}'`, scope);
  };
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) {
    const value = Number(rate[1]);
    if (value < 1) fail('a rate needs a value of at least 1');
    if ((value === 1) !== !rate[2].endsWith('s')) fail(`use '${value === 1 ? 'minute, hour or day' : 'minutes, hours or days'}' with ${value}`);
    return;
  }
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (!cron) {
    fail('it is neither');
    return;
  }
  if (!/^\S+( \S+)*$/.test(cron![1])) {
    fail('the fields must be separated by one space, with no leading or trailing spaces');
  }
  const fields = cron![1].split(' ');
  if (fields.length !== 6) {
    fail(`a cron expression has 6 fields, this one has ${fields.length}`);
  }
  fields.forEach((field, i) => {
    const problem = cronFieldProblem(field, CRON_FIELDS[i]);
    if (problem) fail(`${CRON_FIELDS[i].name} ${problem}`);
  });
  if ((fields[2] === '?') === (fields[4] === '?')) {
    fail('exactly one of day-of-month and day-of-week must be ?');
  }
}

/** The characters of a field made only of values, names, lists and ranges. */
const PLAIN_VALUES = /^[0-9A-Za-z,-]+$/;
/** The most days each month has, January first; February has 29 in leap years. */
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const MONTH_NUMBERS = Array.from({ length: 12 }, (_, i) => i + 1);

/**
 * Warns of a valid cron expression that matches no date, so the pipeline deploys but never runs:
 * days of the month that none of its months has, or only years before this one.
 */
function warnNeverRuns(scope: IConstruct, expression: string): void {
  const cron = Token.isUnresolved(expression) ? undefined : /^cron\((.*)\)$/.exec(expression);
  if (!cron) {
    return;
  }
  const fields = cron[1].split(' ');
  const warn = (why: string) => Annotations.of(scope).addWarningV2('cdk-imagebuilder:scheduleNeverRuns', `schedule '${expression}' never runs: ${why}`);
  const days = listedValues(fields[2], DAY_OF_MONTH);
  const months = listedValues(fields[3], MONTH) ?? MONTH_NUMBERS;
  if (days && days.every((day) => months.every((month) => day > DAYS_IN_MONTH[month - 1]))) {
    const monthNames = months.map((month) => MONTH.names![month - 1]);
    warn(`day-of-month ${days.join(', ')} ${days.length > 1 ? 'do' : 'does'} not occur in ` +
      `month${months.length > 1 ? 's' : ''} ${months.join(', ')} (${monthNames.join(', ')})`);
  }
  const years = listedValues(fields[5], YEAR);
  // The year where it is earliest (UTC-12), so that a schedule's own time zone cannot be a year behind.
  const thisYear = new Date(Date.now() - 12 * 60 * 60 * 1000).getUTCFullYear();
  if (years && years.every((year) => year < thisYear)) {
    warn(`every year it allows is before ${thisYear}`);
  }
}

/**
 * The values of a field made only of values, names and ranges, e.g. `4,6,9-11` or `JAN-MAR`;
 * `undefined` for a field with wildcards or letters (`*`, `?`, `/`, `L`, `W`, `#`), which can match
 * more than a list says, and for a range that runs backwards, whose meaning the user guide leaves open.
 */
function listedValues(field: string, spec: CronFieldSpec): number[] | undefined {
  if (!PLAIN_VALUES.test(field)) {
    return undefined; // `*`, `?`, `/`, `#`: most schedules, settled without reading the values
  }
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const ends = part.split('-').map((value) => cronValue(value, spec));
    const [from, to = from] = ends;
    if (ends.length > 2 || Number.isNaN(from) || Number.isNaN(to) || from > to) {
      return undefined;
    }
    for (let n = from; n <= to; n++) values.add(n);
  }
  return [...values].sort((a, b) => a - b);
}

/** What is wrong with one cron field, or `undefined`. Names and letters are case-insensitive. */
function cronFieldProblem(field: string, spec: CronFieldSpec): string | undefined {
  const upper = field.toUpperCase();
  if (field === '?') {
    return spec.wildcards.includes('?') ? undefined : "'?' is only for day-of-month and day-of-week";
  }
  // L and W stand for a whole field: the last day (or weekday) of the month, the weekday nearest a day.
  if (spec === DAY_OF_MONTH && (upper === 'L' || upper === 'LW')) {
    return undefined;
  }
  if (spec === DAY_OF_MONTH && upper.endsWith('W')) {
    const day = field.slice(0, -1);
    return /^\d+$/.test(day) && !valueProblem(day, spec) ? undefined : `'${field}' needs a day ${spec.min}-${spec.max} before W`;
  }
  const parts = field.split(',');
  let weeksOfNth = false;
  for (const part of parts) {
    const special: SpecialPart | undefined = spec === DAY_OF_WEEK ? dayOfWeekSpecialPart(part, parts.length, weeksOfNth) : undefined;
    if (special) {
      if (special.problem) return special.problem;
      weeksOfNth = special.nth;
      continue;
    }
    weeksOfNth = false;
    const pieces = part.split('/');
    if (pieces.length > 1 && !spec.wildcards.includes('/')) {
      return `'${part}' uses '/', allowed are ${spec.wildcards}`;
    }
    const [range, step, extra] = pieces;
    if (extra !== undefined || (step !== undefined && !/^\d+$/.test(step))) {
      return `'${part}' has a step that is not a number`;
    }
    if (step !== undefined && Number(step) === 0) {
      return `'${part}' has a step of 0; a step is a whole number of at least 1`;
    }
    if (range === '*') {
      continue;
    }
    const ends = range.split('-');
    if (ends.length > 2) {
      return `'${range}' is not a value or a range from-to`;
    }
    for (const value of ends) {
      const problem = valueProblem(value, spec);
      if (problem) return problem;
    }
  }
  return undefined;
}

/** A day-of-week part with `#` or `L`, checked. */
interface SpecialPart {
  /** What is wrong with it. */
  readonly problem?: string;
  /** Whether it picks weeks of a day (`tue#2`, or the `4` of `sat#2,4`). */
  readonly nth: boolean;
}

/**
 * Checks a day-of-week part that uses `#` or `L`; `undefined` for a plain part (a value, a range
 * or `*`). `weeksOfNth` says the part follows a `#` part, where a bare number is one more week of
 * the same day (`sat#2,4`: the second and fourth Saturday).
 */
function dayOfWeekSpecialPart(part: string, partCount: number, weeksOfNth: boolean): SpecialPart | undefined {
  const spec = DAY_OF_WEEK;
  const isOneDay = (day: string) => /^[A-Za-z0-9]+$/.test(day) && !valueProblem(day, spec);
  const nth = /^([^#]*)#(.*)$/.exec(part);
  if (nth) {
    const [, day, week] = nth;
    if (!isOneDay(day)) {
      return { nth: true, problem: `'${part}' needs one day ${spec.min}-${spec.max} or SUN-SAT before #` };
    }
    return { nth: true, problem: NTH_WEEK.test(week) ? undefined : `'${part}' needs a week 1-5 after #` };
  }
  if (weeksOfNth && /^\d+$/.test(part)) {
    return { nth: true, problem: NTH_WEEK.test(part) ? undefined : `'${part}' follows a # part, so it is a week and must be 1-5` };
  }
  const last = /^(.*)L$/i.exec(part);
  if (last) {
    if (partCount > 1) {
      return { nth: false, problem: `'${part}' uses L, which stands for the whole field, not one value of a list` };
    }
    const day = last[1];
    return { nth: false, problem: day === '' || isOneDay(day) ? undefined : `'${part}' needs one day ${spec.min}-${spec.max} or SUN-SAT before L, or L alone` };
  }
  return undefined;
}

/** One value of a field, a number or a name, as a number; `NaN` for anything else. */
function cronValue(value: string, spec: CronFieldSpec): number {
  const index = spec.names?.indexOf(value.toUpperCase()) ?? -1;
  return index >= 0 ? spec.min + index : /^\d+$/.test(value) ? Number(value) : NaN;
}

/** What is wrong with one value of a field (a number or a name), or `undefined`. */
function valueProblem(value: string, spec: CronFieldSpec): string | undefined {
  const n = cronValue(value, spec);
  if (Number.isNaN(n) || n < spec.min || n > spec.max) {
    return `'${value}' is not ${spec.min}-${spec.max}${spec.names ? ` or ${spec.names[0]}-${spec.names[spec.names.length - 1]}` : ''}`;
  }
  return undefined;
}

/** The `Schedule.Timezone` pattern of the Image Builder API reference. */
const TIMEZONE_PATTERN = /^[a-zA-Z0-9]{2,}(?:\/[a-zA-Z0-9_+-]+)*$/;

/** `Schedule.Timezone`: "Minimum length of 3. Maximum length of 100" (Image Builder API reference). */
const TIMEZONE_LENGTH = { min: 3, max: 100 };

/** Why `timezone` is not an IANA time zone Image Builder takes, or `undefined`. */
function timezoneProblem(timezone: string): string | undefined {
  if (timezone.length < TIMEZONE_LENGTH.min || timezone.length > TIMEZONE_LENGTH.max) {
    return `which Image Builder refuses: it takes ${TIMEZONE_LENGTH.min} to ${TIMEZONE_LENGTH.max} characters`;
  }
  if (!TIMEZONE_PATTERN.test(timezone)) {
    return "which Image Builder refuses: a name is 2 or more letters or digits, then '/' parts of letters, digits and - _ +";
  }
  let canonical: string;
  try {
    // Intl knows the IANA names and their aliases (GMT, UTC, Japan); supportedValuesOf lists no aliases.
    canonical = new Intl.DateTimeFormat('en-US', { timeZone: timezone }).resolvedOptions().timeZone;
  } catch {
    return 'which is not in the IANA time zone database';
  }
  // Intl ignores case; the time zone list the API reference links to (Joda-Time's) does not. An
  // alias resolves to another name, whose case says nothing of the alias's; those are let through.
  if (canonical !== timezone && canonical.toLowerCase() === timezone.toLowerCase()) {
    return `which the time zone database spells '${canonical}'`;
  }
  return undefined;
}
