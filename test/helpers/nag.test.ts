import { App, aws_ec2 as ec2, aws_imagebuilder as imagebuilder, aws_s3 as s3, NestedStack, Stack, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { NagSuppressions } from 'cdk-nag';
import { expectNoNagErrors, expectNoNagWarnings } from './nag';

let app: App;
let stack: Stack;

beforeEach(() => {
  app = new App();
  stack = new Stack(app, 'Stack');
});

test('a bucket without access logs and SSL enforcement fails, naming path and rules', () => {
  new s3.Bucket(stack, 'Bucket');
  let error: Error | undefined;
  try {
    expectNoNagErrors(app);
  } catch (e) {
    error = e as Error;
  }
  expect(error?.message).toMatch(/^\/Stack\/Bucket\/Resource AwsSolutions-S1: /m);
  expect(error?.message).toMatch(/^\/Stack\/Bucket\/Resource AwsSolutions-S10: /m);
});

test('a stack can be checked on its own', () => {
  new s3.Bucket(stack, 'Bucket');
  expect(() => expectNoNagErrors(stack)).toThrow(/AwsSolutions-S10/);
});

test('suppressed findings pass', () => {
  const bucket = new s3.Bucket(stack, 'Bucket');
  NagSuppressions.addResourceSuppressions(bucket, [
    { id: 'AwsSolutions-S1', reason: 'Test bucket, access logs are not needed' },
    { id: 'AwsSolutions-S10', reason: 'Test bucket, never accessed over the network' },
  ]);
  expectNoNagErrors(app);
});

test('a compliant Image Builder component passes without errors or warnings', () => {
  new imagebuilder.CfnComponent(stack, 'Component', { name: 'my-component', platform: 'Linux', version: '1.0.0', data: 'name: x' });
  expectNoNagErrors(app);
  expectNoNagWarnings(app);
});

test('still runs the checks after the app was synthesized', () => {
  new s3.Bucket(stack, 'Bucket');
  Template.fromStack(stack);
  expect(() => expectNoNagErrors(app)).toThrow(/AwsSolutions-S1:/);
});

test('finds errors in nested stacks through their parent', () => {
  new s3.Bucket(new NestedStack(stack, 'Nested'), 'Bucket');
  expect(() => expectNoNagErrors(app)).toThrow(/^\/Stack\/Nested\/Bucket\/Resource AwsSolutions-S1: /m);
});

test('refuses stacks inside a Stage, which the app-level aspect would not reach', () => {
  new Stack(new Stage(app, 'Stage'), 'Staged');
  expect(() => expectNoNagErrors(app)).toThrow(/Stage\/Staged must be a top-level stack/);
});

test('expectNoNagWarnings reports warnings', () => {
  new ec2.CfnNetworkAcl(stack, 'Acl', { vpcId: 'vpc-12345678' });
  expectNoNagErrors(app);
  expect(() => expectNoNagWarnings(app)).toThrow(/unsuppressed warning\(s\):\n\/Stack\/Acl AwsSolutions-VPC3: /);
});
