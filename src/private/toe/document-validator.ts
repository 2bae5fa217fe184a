import { Token, Tokenization } from 'aws-cdk-lib';
import * as yaml from 'yaml';
import {
  TOE_CHAINING_REFERENCE,
  TOE_DOCUMENT_KEYS,
  TOE_EXECUTE_DOCUMENT_RULES,
  TOE_IF_MAX_LOGICAL_DEPTH,
  TOE_IF_NON_OPERATOR_KEYS,
  TOE_IF_STEP_ACTIONS,
  TOE_LOGICAL_OPERATORS,
  TOE_LOOP,
  TOE_MAX_ATTEMPTS,
  TOE_ON_FAILURE_VALUES,
  TOE_PHASES,
  TOE_PHASES_AT_LEAST_ONE_OF,
  TOE_SCHEMA_VERSION,
  TOE_STEP_KEYS,
  TOE_STEP_NAME,
  TOE_TIMEOUT_SECONDS,
  TOE_VARIABLE_NAME,
  ToeActionSpec,
  ToeInputSpec,
  ToeInputType,
  ToePlatform,
  findAction,
  findActionIgnoringCase,
  findActionNear,
} from './action-catalogue';
import { characterCount, isMap } from '../validation';
import { checkReferences, DeclaredNames, forEachExpressionInText } from './references';
import { parseSimpleYaml } from './simple-yaml';
import { below, Where } from './where';
import { yamlPitfalls } from './yaml-pitfalls';

/** Maps a path in the document (`['phases', 0, 'steps', 2]`) to its 1-based YAML line. */
export type LineLocator = (path: Array<string | number>) => number | undefined;

/** One problem found in a document. */
export interface DocumentFinding {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly line?: number;
}

export interface ValidateDocumentOptions {
  /** The component's platform (`Linux`, `Windows`, `macOS`), to catch actions that do not exist there. */
  readonly platform?: string;
  readonly locate?: LineLocator;
  /** The text the document was parsed from, to see how values were written. */
  readonly text?: string;
}

/**
 * Loop names have no documented pattern, but they appear in `{{ name.value }}` references, so a name
 * with other characters only warns.
 */
const REFERENCEABLE_LOOP_NAME = /^[A-Za-z0-9_-]+$/;

/**
 * YAML errors after which the parser still recovers the intended value, such as a stray quote
 * after a quoted scalar (seen in documents AWS publishes): reported as warnings, since AWSTOE's
 * own parser may accept them.
 */
const RECOVERABLE_YAML_ERRORS = ['UNEXPECTED_TOKEN'];

export interface ParsedDocument {
  /** The document as an object; undefined when it has syntax errors. */
  readonly document: any;
  readonly locate: LineLocator;
  readonly syntaxErrors: DocumentFinding[];
  readonly syntaxWarnings: DocumentFinding[];
}

/**
 * Parses YAML; syntax errors come back as findings. Plain block YAML, the common case, is read by
 * a fast reader and parsed again with line numbers only if a finding needs one; anything else is
 * parsed by the `yaml` library, which reports syntax errors with their lines.
 */
export function parseDocumentYaml(text: string): ParsedDocument {
  const simple = parseSimpleYaml(text);
  if (simple !== undefined) {
    return { document: simple, locate: locateOnDemand(text), syntaxErrors: [], syntaxWarnings: [] };
  }
  const { parsed, locate, lineCounter } = parseWithLines(text);
  const finding = (severity: DocumentFinding['severity'], line: number | undefined, message: string): DocumentFinding => ({
    severity, line, message: `${line !== undefined ? `line ${line}: ` : ''}YAML syntax ${severity}: ${message}`,
  });
  const toFinding = (e: yaml.YAMLError, severity: DocumentFinding['severity']) =>
    finding(severity, e.linePos?.[0].line, e.message.split('\n')[0].replace(/ at line \d+, column \d+:$/, ''));
  const syntaxErrors = parsed.errors.filter((e) => !RECOVERABLE_YAML_ERRORS.includes(e.code)).map((e) => toFinding(e, 'error'));
  const syntaxWarnings = parsed.errors.filter((e) => RECOVERABLE_YAML_ERRORS.includes(e.code)).map((e) => toFinding(e, 'warning'));
  if (syntaxErrors.length === 0) {
    syntaxErrors.push(...yamlPitfalls(text, parsed, lineCounter).map((p) => finding('error', p.line, p.message)));
  }
  let document: unknown;
  if (syntaxErrors.length === 0) {
    try {
      document = parsed.toJS();
    } catch (error) {
      // What the parser lets through but cannot build (a merge key of a scalar, say): no line is known.
      syntaxErrors.push(finding('error', undefined, error instanceof Error ? error.message : String(error)));
    }
  }
  return { document, locate, syntaxErrors, syntaxWarnings };
}

/**
 * Parses with the `yaml` library, keeping each node's position to map paths to lines. A path to
 * something the text lacks (a missing `inputs`, say) gets the line of the nearest part that it has.
 */
function parseWithLines(text: string): { parsed: yaml.Document.Parsed; locate: LineLocator; lineCounter: yaml.LineCounter } {
  const lineCounter = new yaml.LineCounter();
  // Merge keys (`<<: *common`) are read as YAML 1.1 readers read them: AWSTOE's reader is not
  // documented, and a document that uses them should not fail for it.
  const parsed = yaml.parseDocument(text, { lineCounter, merge: true });
  const locate: LineLocator = (path) => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = parsed.getIn(path.slice(0, depth), true) as yaml.Node | undefined;
      if (node?.range) {
        return lineCounter.linePos(node.range[0]).line;
      }
    }
    return undefined;
  };
  return { parsed, locate, lineCounter };
}

/** A locator that parses the text with positions on its first use: documents without findings never do. */
function locateOnDemand(text: string): LineLocator {
  let locate: LineLocator | undefined;
  return (path) => {
    locate ??= parseWithLines(text).locate;
    return locate(path);
  };
}

/**
 * Parses and checks document text: syntax first, then the document itself. Returns the findings,
 * and the document when the text parsed.
 */
export function checkDocumentText(
  text: string, options: Omit<ValidateDocumentOptions, 'locate' | 'text'> = {},
): { findings: DocumentFinding[]; document?: unknown } {
  const parsed = parseDocumentYaml(text);
  if (parsed.syntaxErrors.length > 0) {
    return { findings: parsed.syntaxErrors };
  }
  return {
    findings: [...parsed.syntaxWarnings, ...validateDocument(parsed.document, { ...options, locate: parsed.locate, text })],
    document: parsed.document,
  };
}

/** Checks a parsed document the way AWSTOE would before running it. */
export function validateDocument(document: any, options: ValidateDocumentOptions = {}): DocumentFinding[] {
  const findings: DocumentFinding[] = [];
  const report = (severity: DocumentFinding['severity'], where: Where, message: string) => {
    const line = options.locate?.(where.path);
    findings.push({ severity, line, message: `${where.label}${line ? ` (line ${line})` : ''}: ${message}` });
  };
  const top: Where = { label: 'document', path: [] };

  if (!isMap(document)) {
    report('error', top, `must be a map with schemaVersion and phases, got ${describe(document)}`);
    return findings;
  }
  for (const key of Object.keys(document)) {
    if (!TOE_DOCUMENT_KEYS.includes(key)) {
      report('warning', { label: 'document', path: [key] }, `unknown top-level key '${key}'; AWSTOE documents have ${TOE_DOCUMENT_KEYS.join(', ')}`);
    }
  }
  if (document.schemaVersion === undefined) {
    report('error', top, 'schemaVersion is required; use 1.0');
  } else if (!(document.schemaVersion === 1 || document.schemaVersion === TOE_SCHEMA_VERSION)) {
    report('error', { label: 'document', path: ['schemaVersion'] }, `schemaVersion must be 1.0, got ${describeScalar(document.schemaVersion)}`);
  } else if (document.schemaVersion === 1 && options.text !== undefined && schemaVersionAsWritten(options.text) === '1') {
    // YAML reads `1` as 1.0 does, but AWSTOE's schemaVersion is a string field, which may read "1"; whether it then fails is unknown.
    report('warning', { label: 'document', path: ['schemaVersion'] },
      'schemaVersion is written 1; AWSTOE documents use 1.0, and its string field may read 1 as "1": write schemaVersion: 1.0');
  }

  const declared = new DeclaredNames();
  checkDeclarations(document.parameters, 'parameters', declared, report);
  checkDeclarations(document.constants, 'constants', declared, report);

  if (!Array.isArray(document.phases) || document.phases.length === 0) {
    report('error', top, `phases must be a non-empty list of phases (build, validate, test), got ${describe(document.phases)}`);
    return findings;
  }

  const seenPhases = new Set<string>();
  const stepsByPhase = new Map<string, EarlierSteps>();
  document.phases.forEach((phase: any, i: number) => {
    const phaseWhere: Where = { label: `phase ${i + 1}`, path: ['phases', i] };
    if (!isMap(phase)) {
      report('error', phaseWhere, `must be a map with name and steps, got ${describe(phase)}`);
      return;
    }
    const phaseName = phase.name;
    const named: Where = { label: `phase '${phaseName}'`, path: ['phases', i] };
    if (!TOE_PHASES.includes(phaseName)) {
      report('error', named, `unknown phase name '${phaseName}'; Image Builder runs only the ${TOE_PHASES.join(', ')} phases, `
        + 'so another phase never runs (for a document meant for local AWSTOE runs, set validateDocument: false)');
    } else if (seenPhases.has(phaseName)) {
      report('error', named, `phase '${phaseName}' appears more than once; put all its steps in one phase`);
    }
    seenPhases.add(phaseName);

    if (!Array.isArray(phase.steps) || phase.steps.length === 0) {
      report('error', named, `steps must be a non-empty list, got ${describe(phase.steps)}`);
      return;
    }
    const earlier: EarlierSteps = new Map();
    stepsByPhase.set(phaseName, earlier);
    const loopNames = new Set<string>();
    phase.steps.forEach((step: any, j: number) => {
      const stepName = isMap(step) && typeof step.name === 'string' ? step.name : undefined;
      const where = new StepPlace(phaseName, i, stepName, j);
      if (!isMap(step)) {
        report('error', where, `must be a map with name, action and inputs, got ${describe(step)}`);
        return;
      }
      // A later step with the name of an earlier one is an error, and references reach the first.
      const duplicateName = stepName !== undefined && earlier.has(stepName);
      const action = checkStep(step, where, duplicateName, options.platform, report);
      const loopName = isMap(step.loop) && typeof step.loop.name === 'string' && step.loop.name !== '' ? step.loop.name : undefined;
      if (loopName !== undefined) {
        if (loopNames.has(loopName)) {
          report('error', below(below(where, 'loop'), 'name'),
            `duplicate loop name '${loopName}' in this phase; loop names must be unique within a phase`);
        }
        loopNames.add(loopName);
      }
      if (stepName) {
        checkReferences(step, {
          where,
          declared,
          stepsByPhase,
          phaseName,
          loopName,
          hasLoop: step.loop !== undefined,
          report,
        });
        if (!duplicateName) {
          earlier.set(stepName, { name: stepName, action });
        }
      }
    });
  });
  if (!TOE_PHASES_AT_LEAST_ONE_OF.some((name) => seenPhases.has(name))) {
    report('error', { label: 'document', path: ['phases'] }, `phases must include at least one of ${TOE_PHASES_AT_LEAST_ONE_OF.join(', ')}, `
      + `got ${seenPhases.size > 0 ? [...seenPhases].map((name) => `'${name}'`).join(', ') : 'none'}`);
  }
  return findings;
}

/** Where a step is; its label and path are built when a finding asks for them, as most steps have none. */
class StepPlace implements Where {
  public constructor(
    private readonly phaseName: unknown,
    private readonly phaseIndex: number,
    private readonly stepName: string | undefined,
    private readonly stepIndex: number,
  ) {}

  public get label(): string {
    return `phase '${this.phaseName}', step ${this.stepName ? `'${this.stepName}'` : this.stepIndex + 1}`;
  }

  public get path(): Array<string | number> {
    return ['phases', this.phaseIndex, 'steps', this.stepIndex];
  }
}

export type Reporter = (severity: DocumentFinding['severity'], where: Where, message: string) => void;

/** The steps of a phase seen so far, by name: looked up once per step and per reference. */
export type EarlierSteps = Map<string, { readonly name: string; readonly action?: ToeActionSpec }>;

function checkDeclarations(list: any, key: string, declared: DeclaredNames, report: Reporter): void {
  if (list === undefined) {
    return;
  }
  if (!Array.isArray(list)) {
    report('error', { label: key, path: [key] }, `${key} must be a list of single-key maps, got ${describe(list)}`);
    return;
  }
  list.forEach((entry: any, i: number) => {
    const names = isMap(entry) ? Object.keys(entry) : [];
    if (names.length !== 1) {
      report('error', { label: `${key} entry ${i + 1}`, path: [key, i] }, `must be a map with exactly one name, got ${describe(entry)}`);
      return;
    }
    const name = names[0];
    const where: Where = { label: `${key === 'parameters' ? 'parameter' : 'constant'} '${name}'`, path: [key, i] };
    if (!TOE_VARIABLE_NAME.test(name)) {
      report('error', where, 'names must be 3 to 128 letters, numbers, hyphens and underscores');
    }
    if (declared.has(name)) {
      report('error', where, `'${name}' is declared more than once among parameters and constants`);
    }
    declared.add(name);
    const body = entry[name];
    if (!isMap(body) || body.type !== 'string') {
      report('error', where, `must have type: string, got ${describe(isMap(body) ? body.type : body)}`);
    }
    if (key === 'constants' && isMap(body) && body.value === undefined) {
      report('error', where, 'a constant needs a value');
    }
  });
}

function checkStep(
  step: any, where: Where, duplicateName: boolean, platform: string | undefined, report: Reporter,
): ToeActionSpec | undefined {
  for (const key in step) {
    if (!STEP_KEYS.has(key)) {
      report('warning', below(where, key), `unknown step key '${key}'; steps have ${TOE_STEP_KEYS.join(', ')}`);
    }
  }

  if (typeof step.name !== 'string') {
    report('error', where, `name is required and must be a string, got ${describe(step.name)}`);
  } else if (duplicateName) {
    report('error', where, `duplicate step name '${step.name}' in this phase; step names must be unique within a phase`);
  } else if (!TOE_STEP_NAME.pattern.test(step.name)) {
    report('error', where,
      `step name '${step.name}' is not allowed: Image Builder accepts only letters (a-z, A-Z), numbers (0-9), hyphens (-) and underscores (_)`);
  }

  if (step.onFailure !== undefined && !TOE_ON_FAILURE_VALUES.includes(step.onFailure)) {
    // As for enumerated inputs: a value that matches ignoring case only warns, as AWSTOE may compare ignoring case.
    const documented = findIgnoringCase(TOE_ON_FAILURE_VALUES, step.onFailure);
    if (documented !== undefined) {
      report('warning', below(where, 'onFailure'),
        `onFailure is '${step.onFailure}'; AWSTOE documents '${documented}', and may compare values case-sensitively`);
    } else {
      report('error', below(where, 'onFailure'),
        `onFailure must be one of ${TOE_ON_FAILURE_VALUES.join(', ')}, got ${describeScalar(step.onFailure)}`);
    }
  }
  if (step.action === EXECUTE_DOCUMENT) {
    checkExecuteDocumentSettings(step, where, report);
  } else {
    checkRunSettings(step, where, report);
  }
  if (step.loop !== undefined) {
    checkLoop(step.loop, below(where, 'loop'), report);
  }
  if (step.if !== undefined) {
    checkIf(step.if, below(where, 'if'), report);
  }

  if (typeof step.action !== 'string') {
    report('error', where, `action is required and must be a string, got ${describe(step.action)}`);
    return undefined;
  }
  const action = findAction(step.action);
  if (!action) {
    const sameIgnoringCase = findActionIgnoringCase(step.action);
    const near = sameIgnoringCase ? undefined : findActionNear(step.action);
    report('error', below(where, 'action'), sameIgnoringCase
      ? `unknown action '${step.action}'; action names are case-sensitive: did you mean '${sameIgnoringCase.name}'?`
      : `unknown action '${step.action}'; ${near ? `did you mean '${near.name}'? ` : ''}see the AWSTOE action modules for the list`);
    return undefined;
  }
  if (platform && !action.platforms.includes(platform as any)) {
    report('error', below(where, 'action'), `action '${action.name}' does not run on ${platform}; it runs on ${action.platforms.join(', ')}`);
  } else if (platform && action.platformNotes?.[platform as ToePlatform]) {
    report('warning', below(where, 'action'), `action '${action.name}' on ${platform}: ${action.platformNotes[platform as ToePlatform]}`);
  }
  checkInputs(step.inputs, action, below(where, 'inputs'), platform, report);
  return action;
}

const EXECUTE_DOCUMENT = 'ExecuteDocument';

/** `timeoutSeconds` and `maxAttempts` of a step. */
function checkRunSettings(step: any, where: Where, report: Reporter): void {
  const timeout = step.timeoutSeconds;
  if (timeout !== undefined && !isExpression(timeout) && timeout !== TOE_TIMEOUT_SECONDS.noTimeout
    && !(Number.isInteger(timeout) && timeout >= TOE_TIMEOUT_SECONDS.min)) {
    report('error', below(where, 'timeoutSeconds'),
      `timeoutSeconds must be a positive whole number, or ${TOE_TIMEOUT_SECONDS.noTimeout} for no timeout, got ${describeScalar(timeout)}`);
  }
  // maxAttempts is documented only as an Integer, so anything else fails; the docs give no minimum
  // (unlike timeoutSeconds, where "0 and other negative values are not allowed"), so 0 or a negative
  // count only warns: AWSTOE may reject it, or run the step as if it were 1.
  const attempts = step.maxAttempts;
  if (attempts !== undefined && !isExpression(attempts)) {
    if (!Number.isInteger(attempts)) {
      report('error', below(where, 'maxAttempts'), `maxAttempts must be a whole number, got ${describeScalar(attempts)}`);
    } else if (attempts < TOE_MAX_ATTEMPTS.min) {
      report('warning', below(where, 'maxAttempts'),
        `maxAttempts should be at least ${TOE_MAX_ATTEMPTS.min}, got '${attempts}'; AWSTOE documents no smaller count and may reject it`);
    }
  }
}

/** ExecuteDocument fixes `timeoutSeconds` and `maxAttempts`, and fails when a document sets other values. */
function checkExecuteDocumentSettings(step: any, where: Where, report: Reporter): void {
  for (const key of ['timeoutSeconds', 'maxAttempts'] as const) {
    const value = step[key];
    const fixed = TOE_EXECUTE_DOCUMENT_RULES[key];
    if (value !== undefined && !isExpression(value) && value !== fixed) {
      report('error', below(where, key), `${EXECUTE_DOCUMENT} fixes ${key} at ${fixed}; leave it out or set ${fixed}, got ${describeScalar(value)}`);
    }
  }
}

/** `if` is a condition map, or a list of them (the syntax block of toe-conditional-constructs.html). */
function checkIf(condition: any, where: Where, report: Reporter): void {
  if (isMap(condition)) {
    checkIfCondition(condition, where, report);
    return;
  }
  if (!Array.isArray(condition)) {
    report('error', where, `if must be a map of a condition, or a list of them, got ${describe(condition)}`);
    return;
  }
  condition.forEach((item, k) => {
    if (!isMap(item)) {
      report('error', below(where, k), `each item of an if list must be a map of a condition, got ${describe(item)}`);
    } else {
      checkIfCondition(item, below(where, k), report);
    }
  });
}

/** One condition of `if`: one operator at the top, logical operators at most four deep, known step actions. */
function checkIfCondition(condition: { [key: string]: any }, where: Where, report: Reporter): void {
  const operators = Object.keys(condition).filter((key) => !TOE_IF_NON_OPERATOR_KEYS.includes(key));
  if (operators.length !== 1) {
    report('error', where, `if must have exactly one operator at the top level, got ${operators.length ? operators.join(', ') : 'none'}; ` +
      'to test several conditions, combine them with and, or, not');
  }
  for (const key of ['then', 'else']) {
    if (condition[key] !== undefined && !isKnownOnlyLater(condition[key]) && !TOE_IF_STEP_ACTIONS.includes(condition[key])) {
      report('error', below(where, key), `if ${key} must be one of ${TOE_IF_STEP_ACTIONS.join(', ')}, got ${describe(condition[key])}`);
    }
  }
  const depth = logicalDepth(condition);
  if (depth > TOE_IF_MAX_LOGICAL_DEPTH) {
    report('error', where, `if nests and, or and not ${depth} levels deep; AWSTOE allows at most ${TOE_IF_MAX_LOGICAL_DEPTH}`);
  }
}

/** How deep the logical operators `and`, `or` and `not` nest in a condition. */
function logicalDepth(condition: any): number {
  if (!isMap(condition)) {
    return 0;
  }
  let deepest = 0;
  for (const operator of TOE_LOGICAL_OPERATORS) {
    if (condition[operator] !== undefined) {
      const operands: any[] = Array.isArray(condition[operator]) ? condition[operator] : [condition[operator]];
      deepest = Math.max(deepest, 1 + Math.max(0, ...operands.map(logicalDepth)));
    }
  }
  return deepest;
}

function checkLoop(loop: any, where: Where, report: Reporter): void {
  if (!isMap(loop) || (loop.for === undefined) === (loop.forEach === undefined)) {
    report('error', where, `loop must have exactly one of for or forEach, got ${describe(loop)}`);
    return;
  }
  // The name is optional and "" by default; a blank `name:` reads as null.
  if (loop.name !== undefined && loop.name !== null) {
    if (typeof loop.name !== 'string') {
      report('error', below(where, 'name'), `loop name must be a string, got ${describe(loop.name)}`);
    } else if (loop.name !== '' && !REFERENCEABLE_LOOP_NAME.test(loop.name)) {
      report('warning', below(where, 'name'),
        `use letters, numbers, hyphens and underscores in loop names so that {{ <name>.value }} can refer to them, got '${loop.name}'`);
    }
  }
  if (loop.for !== undefined) {
    const f = loop.for;
    const ints = isMap(f) && TOE_LOOP.forKeys.every((k) => Number.isInteger(f[k]) || isExpression(f[k]));
    if (!ints) {
      report('error', where, `loop for needs whole numbers start, end and updateBy, got ${describe(f)}`);
      return;
    }
    checkForLoopExpressions(f, below(where, 'for'), report);
    if (f.updateBy === 0) {
      report('error', where, 'loop for updateBy must not be 0');
    } else if (Number.isInteger(f.start) && Number.isInteger(f.end) && Math.sign(f.end - f.start) * Math.sign(f.updateBy) < 0) {
      report('error', where, `loop for from ${f.start} to ${f.end} by ${f.updateBy} never reaches its end`);
    }
    return;
  }
  const e = loop.forEach;
  const isList = Array.isArray(e) && e.length > 0;
  const isSplit = isMap(e) && typeof e.list === 'string' && (e.delimiter === undefined || typeof e.delimiter === 'string');
  if (!isList && !isSplit) {
    report('error', where, `loop forEach must be a non-empty list, or a map with list and delimiter, got ${describe(e)}`);
  } else if (isSplit && loop.forEach.delimiter !== undefined) {
    checkDelimiter(loop.forEach.delimiter, below(below(where, 'forEach'), 'delimiter'), report);
  }
}

/** "Only one delimiter character is allowed from the given list" (toe-looping-constructs.html). */
function checkDelimiter(delimiter: string, where: Where, report: Reporter): void {
  if (isKnownOnlyLater(delimiter)) {
    return;
  }
  const shown = (c: string) => JSON.stringify(c);
  if (characterCount(delimiter) !== 1) {
    report('error', where, `loop forEach delimiter must be one character, got ${shown(delimiter)}`);
  } else if (!(TOE_LOOP.delimiters as readonly string[]).includes(delimiter)) {
    report('warning', where, `AWSTOE documents these forEach delimiters: ${TOE_LOOP.delimiters.map(shown).join(' ')}, got ${shown(delimiter)}`);
  }
}

/**
 * `for` start, end and updateBy "Does not accept chaining expressions" (toe-looping-constructs.html);
 * a parameter reference is fine. Only strings are read: most loops give numbers.
 */
function checkForLoopExpressions(f: Record<string, any>, where: Where, report: Reporter): void {
  for (const key of TOE_LOOP.forKeys) {
    if (typeof f[key] === 'string') {
      forEachExpressionInText(f[key], (expression, _, k) => {
        if (TOE_CHAINING_REFERENCE.test(expression)) {
          report('error', below(where, k),
            `loop for ${k} must be a whole number or a parameter, got '{{ ${expression} }}': AWSTOE does not accept chaining expressions in start, end or updateBy`);
        }
      }, undefined, key);
    }
  }
}

/**
 * The value of the top-level `schemaVersion:` as written in block YAML (a key at the start of a
 * line), or undefined. Called only when the value read is the number 1.
 */
function schemaVersionAsWritten(text: string): string | undefined {
  for (let at = text.indexOf('schemaVersion'); at >= 0; at = text.indexOf('schemaVersion', at + 1)) {
    if (at === 0 || text.charCodeAt(at - 1) === NEWLINE) {
      SCHEMA_VERSION_LINE.lastIndex = at;
      return SCHEMA_VERSION_LINE.exec(text)?.[1];
    }
  }
  return undefined;
}

const NEWLINE = 10;
/** `schemaVersion: <value>`, with an optional comment, from where `lastIndex` points. */
const SCHEMA_VERSION_LINE = /schemaVersion[ \t]*:[ \t]*([^\s#]+)[ \t]*(?:#.*)?$/my;

/** An action's required inputs and its inputs by name, worked out once: every step of the action asks. */
interface ActionInputs {
  readonly required: readonly ToeInputSpec[];
  readonly byName: ReadonlyMap<string, ToeInputSpec>;
}
const actionInputs = new WeakMap<ToeActionSpec, ActionInputs>();

function inputsOf(action: ToeActionSpec): ActionInputs {
  let found = actionInputs.get(action);
  if (!found) {
    found = { required: action.inputs.filter((i) => i.required), byName: new Map(action.inputs.map((i) => [i.name, i])) };
    actionInputs.set(action, found);
  }
  return found;
}

function checkInputs(inputs: any, action: ToeActionSpec, where: Where, platform: string | undefined, report: Reporter): void {
  const specs = inputsOf(action);
  const required = specs.required;
  if (inputs === undefined || inputs === null) {
    if (required.length > 0) {
      report('error', where, `missing required input${required.length > 1 ? 's' : ''} ${required.map((i) => `'${i.name}'`).join(', ')} of ${action.name}`);
    }
    return;
  }
  if (action.inputs.length === 0 && !action.strictInputs) {
    return; // e.g. Assert: the inputs are a free-form condition
  }

  const isList = Array.isArray(inputs);
  if ((action.inputShape === 'object' && isList) || (action.inputShape === 'list' && !isList) || (!isList && !isMap(inputs))) {
    report('error', where, `inputs of ${action.name} must be ${action.inputShape === 'list' ? 'a list of maps' : 'a map'}, got ${describe(inputs)}`);
    return;
  }
  if (isList) {
    if (inputs.length === 0 && required.length > 0) {
      // AWSTOE rejects it as it does a missing `inputs` ("Action S3Download has no inputs; it requires an 'inputs'").
      report('error', where, `inputs of ${action.name} must list at least one map with ${required.map((i) => `'${i.name}'`).join(', ')}, got []`);
    }
    inputs.forEach((entry: any, k: number) => checkInputEntry(entry, action, specs, below(where, k), platform, report));
  } else {
    checkInputEntry(inputs, action, specs, where, platform, report); // called directly: most actions take a map, once per step
  }
}

/** Checks one map of inputs (the only one, or an item of a list), at `entryWhere`. */
function checkInputEntry(
  entry: any, action: ToeActionSpec, specs: ActionInputs, entryWhere: Where, platform: string | undefined, report: Reporter,
): void {
  if (!isMap(entry)) {
    report('error', entryWhere, `each input of ${action.name} must be a map, got ${describe(entry)}`);
    return;
  }
  const { required, byName } = specs;
  for (const spec of required) {
    if (entry[spec.name] === undefined) {
      report('error', entryWhere, `missing required input '${spec.name}' of ${action.name}`);
    }
  }
  for (const group of action.exactlyOneOf ?? []) {
    const given = group.filter((name) => entry[name] !== undefined);
    if (given.length !== 1) {
      const names = group.map((n) => `'${n}'`).join(' or ');
      report('error', entryWhere, given.length === 0
        ? `missing required input ${names} of ${action.name}`
        : `give only one of ${names} to ${action.name}, got ${given.length}`);
    }
  }
  for (const key in entry) {
    const spec = byName.get(key);
    if (!spec) {
      const known = action.inputs.map((i) => i.name).join(', ') || 'none';
      report(action.strictInputs ? 'error' : 'warning', below(entryWhere, key),
        `unknown input '${key}' of ${action.name}; its inputs are ${known}`);
      continue;
    }
    if (platform !== undefined && spec.rejectedOn?.includes(platform as ToePlatform)) {
      report('error', below(entryWhere, key),
        `input '${key}' of ${action.name} is not supported on ${platform}: AWSTOE returns an error when it is used there`);
    }
    checkInputValue(spec, entry[key], action, entryWhere, report);
  }
}

/** Whether a value fits an input type; plain scalars fit 'string' (AWSTOE examples write `permissions: 766`). */
const INPUT_TYPE_CHECKS: Record<ToeInputType, (value: any) => boolean> = {
  string: (value) => typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean',
  integer: (value) => Number.isInteger(value),
  boolean: (value) => typeof value === 'boolean',
  list: (value) => Array.isArray(value),
  map: (value) => isMap(value),
  any: () => true,
};

/** Checks the value of one input; `entryWhere` is the input entry that holds it. */
function checkInputValue(spec: ToeInputSpec, value: any, action: ToeActionSpec, entryWhere: Where, report: Reporter): void {
  if (isKnownOnlyLater(value)) {
    return;
  }
  if (!INPUT_TYPE_CHECKS[spec.type](value)) {
    if (spec.type === 'boolean' && YAML_1_1_BOOLEANS.has(value)) {
      // YAML 1.2 reads `yes` as a string; a YAML 1.1 reader, as AWSTOE's Go decoder may be, as a boolean.
      report('warning', below(entryWhere, spec.name),
        `input '${spec.name}' of ${action.name} is the string '${value}', which only YAML 1.1 readers take as a boolean; write true/false`);
      return;
    }
    report('error', below(entryWhere, spec.name), `input '${spec.name}' of ${action.name} must be ${article(spec.type)}, got ${describe(value)}`);
    return;
  }
  // A value that starts with a token or holds a variable may take its scheme from them.
  if (spec.scheme && typeof value === 'string' && !value.includes('{{') && !Tokenization.reverseString(value).firstToken
    && !value.startsWith(spec.scheme.prefix)) {
    report('error', below(entryWhere, spec.name),
      `input '${spec.name}' of ${action.name} must be a URL ${spec.scheme.example}, starting ${spec.scheme.prefix}, got '${value}'`);
  }
  if (spec.allowedValues) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (typeof v === 'string' && !isKnownOnlyLater(v) && !spec.allowedValues.includes(v)) {
        checkValueIgnoringCase(spec, spec.allowedValues, v, action, entryWhere, report);
      }
    }
  }
}

/**
 * A value that is none of the allowed values as written. One that matches ignoring case is fine
 * where the docs say so, and otherwise only warns: AWSTOE may compare values ignoring case.
 */
function checkValueIgnoringCase(
  spec: ToeInputSpec, allowedValues: readonly string[], value: string, action: ToeActionSpec, entryWhere: Where, report: Reporter,
): void {
  const match = findIgnoringCase(allowedValues, value);
  if (match === undefined) {
    report('error', below(entryWhere, spec.name), `input '${spec.name}' of ${action.name} must be one of ${allowedValues.join(', ')}, got '${value}'`);
  } else if (!spec.caseInsensitive) {
    report('warning', below(entryWhere, spec.name),
      `input '${spec.name}' of ${action.name} is '${value}'; AWSTOE documents '${match}', and may compare values case-sensitively`);
  }
}

/** The allowed value that `value` matches ignoring case, if it is a string and one does. */
function findIgnoringCase(allowedValues: readonly string[], value: unknown): string | undefined {
  const lower = typeof value === 'string' ? value.toLowerCase() : undefined;
  return lower === undefined ? undefined : allowedValues.find((allowed) => allowed.toLowerCase() === lower);
}

/** Booleans of YAML 1.1 that YAML 1.2 (and so this library's parser) reads as strings; `True` and the like are booleans in both. */
const YAML_1_1_BOOLEANS: ReadonlySet<unknown> = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF']);

/** A value known only later: a `{{ ... }}` expression AWSTOE resolves when it runs, or a CDK token resolved at deployment. */
function isKnownOnlyLater(value: any): boolean {
  return isExpression(value) || (typeof value === 'string' && Token.isUnresolved(value));
}

/** A value that is only a `{{ ... }}` expression, typed by AWSTOE when it runs. */
function isExpression(value: any): boolean {
  return typeof value === 'string' && value.includes('{{') && /^\s*\{\{.*\}\}\s*$/.test(value);
}

const STEP_KEYS: ReadonlySet<string> = new Set(TOE_STEP_KEYS);


function article(type: string): string {
  return { string: 'a string', integer: 'a whole number', boolean: 'true or false', list: 'a list', map: 'a map', any: 'a value' }[type] ?? type;
}

/** A short, readable rendering of a value for messages. */
export function describe(value: any): string {
  if (value === undefined) {
    return 'nothing';
  }
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** A value where one scalar is expected: quoted as written, or a map or list by `describe`, not as '[object Object]'. */
function describeScalar(value: any): string {
  return value !== null && typeof value === 'object' ? describe(value) : `'${value}'`;
}
