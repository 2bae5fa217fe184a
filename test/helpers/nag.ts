import { App, Aspects, CfnResource, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';

/**
 * The cdk-nag suppressions on a resource (an L1, or the L1 of an L2) as cdk-nag's rule packs read
 * them: the library keeps its own out of the template, so they are read from the resource.
 */
export function nagSuppressionsOn(construct: IConstruct): any[] | undefined {
  const resource = CfnResource.isCfnResource(construct) ? construct : construct.node.defaultChild as CfnResource;
  return resource.getMetadata('cdk_nag')?.rules_to_suppress;
}

/** `nagSuppressionsOn` the one resource of `stack` whose logical ID starts with `prefix`. */
export function nagSuppressionsByLogicalId(stack: Stack, prefix: string): any[] | undefined {
  const resources = stack.node.findAll().filter(CfnResource.isCfnResource).filter((r) => stack.resolve(r.logicalId).startsWith(prefix));
  if (resources.length !== 1) {
    throw new Error(`expected one resource whose logical ID starts with ${prefix}, found ${resources.length}`);
  }
  return nagSuppressionsOn(resources[0]);
}

/**
 * Applies cdk-nag's AwsSolutions pack to `scope` and fails on any unsuppressed
 * AwsSolutions error, listing construct path, rule id and message.
 *
 * Safe to call after the app was synthesized (e.g. by Template.fromStack):
 * Annotations.fromStack re-synthesizes with `force: true`, which re-runs every aspect.
 */
export function expectNoNagErrors(scope: App | Stack): void {
  expectNoNagMessages(scope, 'error', /^AwsSolutions-/);
}

/**
 * Like expectNoNagErrors for AwsSolutions warnings, plus CdkNagValidationFailure
 * (a rule that threw, usually on an intrinsic it could not resolve, so was not checked).
 */
export function expectNoNagWarnings(scope: App | Stack): void {
  expectNoNagMessages(scope, 'warning', /^(AwsSolutions-|CdkNagValidationFailure)/);
}

function expectNoNagMessages(scope: App | Stack, level: 'error' | 'warning', pattern: RegExp): void {
  const stacks = stacksOf(scope);
  applyNag(scope);
  const problems = stacks.flatMap(stack => {
    const annotations = Annotations.fromStack(stack);
    const match = Match.stringLikeRegexp(pattern.source);
    const messages = level === 'error' ? annotations.findError('*', match) : annotations.findWarning('*', match);
    return messages.map(m => `${m.id} ${String(m.entry.data).trim().replace(/\s+/g, ' ')}`);
  });
  if (problems.length > 0) {
    throw new Error(`cdk-nag found ${problems.length} unsuppressed ${level}(s):\n${problems.join('\n')}`);
  }
}

function applyNag(scope: App | Stack): void {
  // Adding the pack twice would only duplicate work: identical annotations are deduplicated.
  if (!Aspects.of(scope).all.some(a => a instanceof AwsSolutionsChecks)) {
    // No CSV reports: the tests read annotations, and reports would land in the app's outdir.
    Aspects.of(scope).add(new AwsSolutionsChecks({ verbose: true, reports: false }));
  }
}

/** Top-level stacks of the root app; nested stacks report through their parent. */
function stacksOf(scope: App | Stack): Stack[] {
  const stacks = Stack.isStack(scope) ? [scope] : scope.node.findAll().filter(Stack.isStack).filter(s => !s.nested);
  for (const stack of stacks) {
    // Aspects do not cross Stage boundaries and Annotations.fromStack only reads the root assembly.
    if (stack.nested || Stage.of(stack) !== stack.node.root) {
      throw new Error(`cdk-nag helpers: ${stack.node.path} must be a top-level stack of the App (not nested, not inside a Stage)`);
    }
  }
  return stacks;
}
