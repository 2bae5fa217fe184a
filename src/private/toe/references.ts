import { TOE_CHAINING_REFERENCE, TOE_LOOP_REFERENCE_PREFIX, TOE_LOOP_VARIABLES, ToeActionSpec } from './action-catalogue';
import type { Reporter, Where } from './document-validator';

/** What a step can see when its `{{ ... }}` expressions are resolved. */
export interface ReferenceScope {
  readonly where: Where;
  /** Declared parameter and constant names. */
  readonly declared: ReadonlySet<string>;
  /** The steps that ran before this one, by phase (the current phase holds only earlier steps). */
  readonly stepsByPhase: ReadonlyMap<string, ReadonlyArray<{ name: string; action?: ToeActionSpec }>>;
  readonly phaseName: string;
  readonly hasLoop: boolean;
  readonly loopName?: string;
  readonly report: Reporter;
}

const EXPRESSION = /\{\{\s*([^{}]*?)\s*\}\}/g;
/** A plain variable or a dotted path of names (with `[i]` indexes): what AWSTOE resolves as a reference. */
const PLAIN_REFERENCE = /^[A-Za-z0-9_-]+(\[\d+\])?(\.[A-Za-z0-9_-]+(\[\d+\])?)*$/;

/**
 * Checks that every `{{ name }}` in the step's inputs, loop and condition resolves to a declared
 * parameter or constant, a loop variable, or an output of a step that runs earlier. Expressions
 * that are not plain references (other template syntax inside a script, say) only warn.
 */
export function checkReferences(step: any, scope: ReferenceScope): void {
  for (const key of ['inputs', 'loop', 'if']) {
    for (const text of strings(step[key])) {
      for (const match of text.matchAll(EXPRESSION)) {
        checkExpression(match[1], { ...scope, where: { ...scope.where, path: [...scope.where.path, key] } });
      }
    }
  }
}

function checkExpression(expression: string, scope: ReferenceScope): void {
  if (!PLAIN_REFERENCE.test(expression)) {
    scope.report('warning', scope.where, `'{{ ${expression} }}' is not a reference this library can check; AWSTOE resolves it when the step runs`);
    return;
  }
  const parts = expression.split('.');
  if (parts.length === 1 && scope.declared.has(expression)) {
    return;
  }
  if (parts.length === 2 && TOE_LOOP_VARIABLES.includes(parts[1])
    && ((parts[0] === TOE_LOOP_REFERENCE_PREFIX && scope.hasLoop) || parts[0] === scope.loopName)) {
    return;
  }
  const chained = TOE_CHAINING_REFERENCE.exec(expression);
  if (chained) {
    const [, phase, stepName, direction, , name] = chained;
    checkChainedStep(phase, stepName, direction, name, expression, scope);
    return;
  }
  const loopHint = parts[0] === TOE_LOOP_REFERENCE_PREFIX && !scope.hasLoop ? ' (this step has no loop)' : '';
  scope.report('error', scope.where,
    `'{{ ${expression} }}' is not a declared parameter or constant, a loop variable or an earlier step's output${loopHint}`);
}

/** `{{ phase.step.inputs.x }}` / `{{ phase.step.outputs.x }}`: the step must run earlier. */
function checkChainedStep(phase: string, stepName: string, direction: string, output: string, expression: string, scope: ReferenceScope): void {
  const step = scope.stepsByPhase.get(phase)?.find((s) => s.name === stepName);
  if (!step) {
    scope.report('error', scope.where,
      `'{{ ${expression} }}' refers to step '${stepName}' of phase '${phase}', which does not run before this step`);
    return;
  }
  if (direction !== 'outputs') {
    return;
  }
  const outputs = step.action?.outputs ?? [];
  if (outputs.length > 0 && !outputs.includes(output)) {
    scope.report('error', scope.where,
      `'{{ ${expression} }}' refers to output '${output}' of ${step.action!.name}, whose outputs are ${outputs.join(', ')}`);
  } else if (outputs.length === 0 && step.action) {
    scope.report('warning', scope.where,
      `'{{ ${expression} }}' refers to an output of ${step.action.name}, which documents no outputs`);
  }
}

/** Every string inside a value, at any depth. */
function* strings(value: any): Generator<string> {
  if (typeof value === 'string') {
    yield value;
  } else if (Array.isArray(value)) {
    for (const v of value) yield* strings(v);
  } else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) yield* strings(v);
  }
}
