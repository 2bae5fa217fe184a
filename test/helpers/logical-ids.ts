import { CfnElement, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** The logical ID of the CloudFormation resource a construct of this library or aws-cdk-lib defines. */
export function logicalIdOf(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}
