import { TOE_CHAINING_REFERENCE, TOE_LOOP_REFERENCE_PREFIX, TOE_LOOP_VARIABLES } from './action-catalogue';
import type { EarlierSteps, Reporter } from './document-validator';
import { below, Where } from './where';

/** What a step can see when its `{{ ... }}` expressions are resolved. */
export interface ReferenceScope {
  readonly where: Where;
  /** Declared parameter and constant names. */
  readonly declared: DeclaredNames;
  /** The steps that ran before this one, by phase (the current phase holds only earlier steps). */
  readonly stepsByPhase: ReadonlyMap<string, EarlierSteps>;
  readonly phaseName: string;
  readonly hasLoop: boolean;
  readonly loopName?: string;
  readonly report: Reporter;
}

/**
 * Declared parameter and constant names. `has` rules out an expression longer than every name
 * before looking it up, which spares hashing it: most expressions that are not names are longer
 * (`build.StepName.outputs.stdout`).
 */
export class DeclaredNames {
  private readonly names = new Set<string>();
  private longest = 0;

  public add(name: string): void {
    this.names.add(name);
    this.longest = Math.max(this.longest, name.length);
  }

  public has(name: string): boolean {
    return name.length <= this.longest && this.names.has(name);
  }
}

/** A plain variable or a dotted path of names (with `[i]` indexes): what AWSTOE resolves as a reference. */
const PLAIN_REFERENCE = /^[A-Za-z0-9_-]+(\[\d+\])?(\.[A-Za-z0-9_-]+(\[\d+\])?)*$/;

/**
 * Checks that every `{{ name }}` in the step's inputs, loop and condition resolves to a declared
 * parameter or constant, a loop variable, or an output of a step that runs earlier. Expressions
 * that are not plain references (other template syntax inside a script, say) only warn.
 */
export function checkReferences(step: any, scope: ReferenceScope): void {
  // The step keys whose strings may hold `{{ ... }}`, each read by name: faster than a loop over the names.
  checkReferencesIn(step.inputs, 'inputs', scope);
  checkReferencesIn(step.loop, 'loop', scope);
  checkReferencesIn(step.if, 'if', scope);
}

/** Checks each expression in the strings of `value` (the value of the step key `key`, or inside it) as it is found. */
function checkReferencesIn(value: unknown, key: string, scope: ReferenceScope): void {
  if (typeof value === 'string') {
    forEachExpressionInText(value, checkExpression, scope, key);
  } else if (Array.isArray(value)) {
    for (const item of value) {
      checkReferencesIn(item, key, scope);
    }
  } else if (value !== null && typeof value === 'object') {
    for (const inner in value) {
      checkReferencesIn((value as Record<string, unknown>)[inner], key, scope);
    }
  }
}

function checkExpression(expression: string, scope: ReferenceScope, key: string): void {
  // The common references first, each with one lookup: a parameter or constant, or a step's output.
  if (scope.declared.has(expression)) {
    return;
  }
  const chained = TOE_CHAINING_REFERENCE.exec(expression);
  if (chained) {
    const [, phase, stepName, direction, name] = chained;
    checkChainedStep(phase, stepName, direction, name, expression, scope, key);
    return;
  }
  if (!PLAIN_REFERENCE.test(expression)) {
    scope.report('warning', below(scope.where, key), `'{{ ${expression} }}' is not a reference this library can check; AWSTOE resolves it when the step runs`);
    return;
  }
  // `{{ loop.value }}`, or `{{ <loop name>.value }}` (compared whole, as a loop name may hold a dot).
  const lastDot = expression.lastIndexOf('.');
  const isLoopVariable = lastDot > 0 && TOE_LOOP_VARIABLES.includes(expression.slice(lastDot + 1));
  if (!scope.hasLoop && (isLoopVariable || expression.startsWith(`${TOE_LOOP_REFERENCE_PREFIX}.`))) {
    // "If reference expressions are used within a step that does not contain a loop, then AWS TOE does
    // not resolve the expressions and they appear in the step with no replacement" (toe-looping-constructs.html):
    // so for `{{ loop.* }}` and for `{{ <name>.index|value }}`, whether or not a loop has that name.
    scope.report('warning', below(scope.where, key),
      `'{{ ${expression} }}' refers to a loop, but this step has no loop: AWSTOE leaves the expression as written`);
    return;
  }
  if (isLoopVariable) {
    const owner = expression.slice(0, lastDot);
    if (owner === TOE_LOOP_REFERENCE_PREFIX || owner === scope.loopName) {
      return;
    }
  }
  scope.report('error', below(scope.where, key),
    `'{{ ${expression} }}' is not a declared parameter or constant, a loop variable or an earlier step's output`);
}

/** `{{ phase.step.inputs.x }}` / `{{ phase.step.outputs.x }}`: the step must run earlier. */
function checkChainedStep(
  phase: string, stepName: string, direction: string, output: string, expression: string, scope: ReferenceScope, key: string,
): void {
  const step = scope.stepsByPhase.get(phase)?.get(stepName);
  if (!step) {
    scope.report('error', below(scope.where, key),
      `'{{ ${expression} }}' refers to step '${stepName}' of phase '${phase}', which does not run before this step`);
    return;
  }
  if (direction !== 'outputs') {
    return;
  }
  const outputs = step.action?.outputs ?? [];
  if (outputs.length > 0 && !outputs.includes(output)) {
    scope.report('error', below(scope.where, key),
      `'{{ ${expression} }}' refers to output '${output}' of ${step.action!.name}, whose outputs are ${outputs.join(', ')}`);
  } else if (outputs.length === 0 && step.action) {
    scope.report('warning', below(scope.where, key),
      `'{{ ${expression} }}' refers to an output of ${step.action.name}, which documents no outputs`);
  }
}

/**
 * Calls `visit(expression, context, key)` with the inside of each `{{ ... }}` in `text`, trimmed:
 * what `/\{\{\s*([^{}]*?)\s*\}\}/g` captures. Found with `indexOf` because this runs for every
 * string of every step; `context` and `key` are passed through, which spares a closure per string.
 */
export function forEachExpressionInText<T>(
  text: string, visit: (expression: string, context: T, key: string) => void, context: T, key: string,
): void {
  for (let open = text.indexOf('{{'); open >= 0; open = text.indexOf('{{', open + 1)) {
    // An expression holds no brace: it ends at the first brace after `{{`, which must start `}}`.
    const close = text.indexOf('}', open + 2);
    if (close < 0) {
      break;
    }
    const brace = text.indexOf('{', open + 2);
    if ((brace < 0 || brace > close) && text.charCodeAt(close + 1) === CLOSE_BRACE) {
      visit(text.slice(open + 2, close).trim(), context, key);
      open = close + 1; // the next search starts after this expression's `}}`
    }
  }
}

const CLOSE_BRACE = 125;
