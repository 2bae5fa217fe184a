import { Aspects, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Whether `a` and `b` are in one tree of stacks: the same stack, or stacks nested in the same
 * top-level one. References within such a tree are parameters and outputs; references between
 * trees are exports, whose values CloudFormation refuses to change while another stack imports them.
 */
export function inOneStackTree(a: IConstruct, b: IConstruct): boolean {
  return topLevelStack(Stack.of(a)) === topLevelStack(Stack.of(b));
}

/** The top-level stack that `stack` is nested in, or `stack` itself. */
export function topLevelStack(stack: Stack): Stack {
  return stack.nestedStackParent ? topLevelStack(stack.nestedStackParent) : stack;
}

/**
 * Keeps `value`, an attribute of a resource in the tree of `scope`, exported from the top-level
 * stack of that tree under the name an automatic cross-stack reference gave it, though nothing
 * imports it any more: CloudFormation refuses to delete an export that a deployed stack still
 * imports. The export is made when the app is prepared, so that it locks no logical ID before the
 * user's code has run.
 */
export function keepExported(scope: IConstruct, value: string): void {
  const stack = topLevelStack(Stack.of(scope));
  Aspects.of(stack).add({
    visit: (node) => {
      if (node === stack) {
        stack.exportValue(value);
      }
    },
  });
}
