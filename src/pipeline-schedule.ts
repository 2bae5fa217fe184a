import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { validationError } from './private/errors';

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
   * @default - never disabled
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

  private constructor(expression: string, options: PipelineScheduleOptions) {
    this.expressionString = expression;
    this.options = options;
  }

  /**
   * Checks the schedule for the pipeline `scope`.
   *
   * @internal
   */
  public _validate(scope: IConstruct): void {
    validateScheduleExpression(scope, this.expressionString);
    const { timezone, autoDisableAfterFailures: failures } = this.options;
    if (timezone !== undefined && !Token.isUnresolved(timezone) && !isIanaTimezone(timezone)) {
      throw validationError(`schedule timezone must be an IANA time zone such as 'Europe/Paris' or 'UTC', got '${timezone}'`, scope);
    }
    if (failures !== undefined && !Token.isUnresolved(failures)
      && !(Number.isInteger(failures) && failures >= AUTO_DISABLE_RANGE.min && failures <= AUTO_DISABLE_RANGE.max)) {
      throw validationError(
        `schedule autoDisableAfterFailures must be a whole number from ${AUTO_DISABLE_RANGE.min} to ${AUTO_DISABLE_RANGE.max}, got ${failures}`, scope);
    }
  }
}

const CRON_FORM = 'cron(minutes hours day-of-month month day-of-week year), e.g. cron(0 4 ? * MON *)';
const RATE_FORM = 'rate(value unit) with unit minute(s), hour(s) or day(s), e.g. rate(7 days)';

/** Per field: the allowed range and names (AWS cron, six fields). */
const CRON_FIELDS: Array<{ name: string; min: number; max: number; names?: string[]; extra: RegExp }> = [
  { name: 'minutes', min: 0, max: 59, extra: /^$/ },
  { name: 'hours', min: 0, max: 23, extra: /^$/ },
  { name: 'day-of-month', min: 1, max: 31, extra: /^(\?|L|LW|\d{1,2}W)$/ },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'], extra: /^$/ },
  { name: 'day-of-week', min: 1, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'], extra: /^(\?|[1-7]L|[1-7]#[1-5]|L)$/ },
  { name: 'year', min: 1970, max: 2199, extra: /^$/ },
];

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
  const fields = cron![1].trim().split(/\s+/);
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

/** What is wrong with one cron field, or `undefined`. */
function cronFieldProblem(field: string, spec: typeof CRON_FIELDS[number]): string | undefined {
  if (spec.extra.test(field)) {
    return undefined;
  }
  for (const part of field.split(',')) {
    const [range, step] = part.split('/');
    if (step !== undefined && !/^\d+$/.test(step)) {
      return `'${part}' has a step that is not a number`;
    }
    if (range === '*') {
      continue;
    }
    for (const value of range.split('-')) {
      const index = spec.names?.indexOf(value.toUpperCase()) ?? -1;
      const n = index >= 0 ? spec.min + index : /^\d+$/.test(value) ? Number(value) : NaN;
      if (Number.isNaN(n) || n < spec.min || n > spec.max) {
        return `'${value}' is not ${spec.min}-${spec.max}${spec.names ? ` or ${spec.names[0]}-${spec.names[spec.names.length - 1]}` : ''}`;
      }
    }
  }
  return undefined;
}

function isIanaTimezone(timezone: string): boolean {
  if (timezone === 'UTC' || timezone === 'Etc/UTC') {
    return true;
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return timezone.includes('/');
  } catch {
    return false;
  }
}
