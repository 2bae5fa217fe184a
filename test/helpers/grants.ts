import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * Gives a new role what `grant` grants and returns the `Resource` of the one statement the role's
 * one policy then holds, after checking that the statement allows `action` and nothing else.
 */
export function grantedResources(stack: Stack, grant: (grantee: iam.IGrantable) => void, action: string): unknown {
  const role = new iam.Role(stack, 'Grantee', { assumedBy: new iam.AccountRootPrincipal() });
  grant(role);
  const roleRef = JSON.stringify([{ Ref: stack.getLogicalId(role.node.defaultChild as iam.CfnRole) }]);
  const policies = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
    .filter((p: any) => JSON.stringify(p.Properties.Roles) === roleRef);
  expect(policies).toHaveLength(1);
  const statements = policies[0].Properties.PolicyDocument.Statement;
  // Nothing besides the action and the resource: a Condition, say, would change what is granted.
  expect(statements).toEqual([{ Action: action, Effect: 'Allow', Resource: expect.anything() }]);
  return statements[0].Resource;
}

/** The ARN `formatArn` renders for an Image Builder resource of the test stack (us-east-1, 123456789012). */
export function imageBuilderArnInStack(resourceType: string, resourceName: string): unknown {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:imagebuilder:us-east-1:123456789012:${resourceType}/${resourceName}`]] };
}

/** Whether one of the IAM resource ARNs `granted` covers `arn`: in IAM, `*` stands for any run of characters, `/` included. */
export function iamResourcesAllow(granted: string[], arn: string): boolean {
  return granted.some((resource) =>
    new RegExp(`^${resource.split('*').map((part) => part.replace(/[.?+^$()[\]{}|\\]/g, '\\$&')).join('.*')}$`).test(arn));
}
