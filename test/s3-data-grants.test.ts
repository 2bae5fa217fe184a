import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ComponentData, DockerfileTemplate, WorkflowData } from '../src';
import { expectValidTemplate } from './helpers/cfn-validate';

let stack: Stack;

beforeEach(() => {
  stack = new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
});

/** The S3 data kinds: what `fromS3` returns for components, workflows and Dockerfile templates. */
const KINDS = [
  ['ComponentData', (bucket: s3.IBucket, key: string) => ComponentData.fromS3(bucket, key)],
  ['WorkflowData', (bucket: s3.IBucket, key: string) => WorkflowData.fromS3(bucket, key)],
  ['DockerfileTemplate', (bucket: s3.IBucket, key: string) => DockerfileTemplate.fromS3(bucket, key)],
] as const;

/** The statements of the one policy of `role`. */
function statementsOf(role: iam.Role): any[] {
  const roleRef = JSON.stringify([{ Ref: stack.getLogicalId(role.node.defaultChild as iam.CfnRole) }]);
  const policies = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
    .filter((p: any) => JSON.stringify(p.Properties.Roles) === roleRef);
  expect(policies).toHaveLength(1);
  return policies[0].Properties.PolicyDocument.Statement;
}

function newRole(id: string): iam.Role {
  return new iam.Role(stack, id, { assumedBy: new iam.AccountRootPrincipal() });
}

/** The rendered ARN of `resource` in the test stack's partition. */
function s3Arn(resource: string): unknown {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::${resource}`]] };
}

/** Every action of the statements, flattened. */
function actionsOf(statements: any[]): string[] {
  return statements.flatMap((statement) => [statement.Action].flat());
}

describe.each(KINDS)('%s.fromS3', (_kind, fromS3) => {
  test('keeps the bucket and key it was given', () => {
    const bucket = s3.Bucket.fromBucketName(stack, 'Docs', 'docs');
    const data = fromS3(bucket, 'linux/hello.yml');

    expect(data.bucket).toBe(bucket);
    expect(data.key).toBe('linux/hello.yml');
  });

  test('grantRead allows reading that object, no other object of the bucket', () => {
    const reader = newRole('Reader');
    fromS3(s3.Bucket.fromBucketName(stack, 'Docs', 'docs'), 'linux/hello.yml').grantRead(reader);

    const [statement, ...others] = statementsOf(reader);
    expect(others).toEqual([]);
    expect(statement.Action).toContain('s3:GetObject*');
    expect(statement.Action).not.toContain('s3:PutObject');
    const objects = [statement.Resource].flat().filter((resource: any) => JSON.stringify(resource).includes('docs/'));
    expect(objects).toEqual([s3Arn('docs/linux/hello.yml')]);
    expectValidTemplate(stack);
  });

  test('grantPut allows writing that object only, and no reading', () => {
    const publisher = newRole('Publisher');
    fromS3(s3.Bucket.fromBucketName(stack, 'Docs', 'docs'), 'linux/hello.yml').grantPut(publisher);

    const [statement, ...others] = statementsOf(publisher);
    expect(others).toEqual([]);
    expect(statement.Action).toContain('s3:PutObject');
    expect(actionsOf([statement]).filter((action) => action.startsWith('s3:Get'))).toEqual([]);
    expect(statement.Resource).toEqual(s3Arn('docs/linux/hello.yml'));
    expectValidTemplate(stack);
  });

  test('with a KMS-encrypted bucket of the app, reading may decrypt and writing may encrypt with its key', () => {
    const key = new kms.Key(stack, 'DocsKey', { enableKeyRotation: true });
    const bucket = new s3.Bucket(stack, 'Bucket', { encryptionKey: key, enforceSSL: true });
    const data = fromS3(bucket, 'hello.yml');
    const reader = newRole('Reader');
    const publisher = newRole('Publisher');
    data.grantRead(reader);
    data.grantPut(publisher);

    const keyArn = { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] };
    const onKey = (statements: any[]) => statements.filter((statement) => JSON.stringify(statement.Resource) === JSON.stringify(keyArn));
    expect(actionsOf(onKey(statementsOf(reader)))).toContain('kms:Decrypt');
    expect(actionsOf(onKey(statementsOf(publisher)))).toEqual(expect.arrayContaining(['kms:Encrypt', 'kms:GenerateDataKey*']));
    expectValidTemplate(stack);
  });
});
