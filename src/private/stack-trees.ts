import { Stack } from 'aws-cdk-lib';
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
