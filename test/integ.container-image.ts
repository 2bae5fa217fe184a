/**
 * Integration test: a container image pipeline pushing to its own ECR repository.
 * `npm test` checks the synthesized snapshot; deploying it needs an AWS account (see README).
 */
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { ContainerImagePipeline } from '../src';

const app = new App();
const stack = new Stack(app, 'IntegContainerImage');
const repository = new ecr.Repository(stack, 'Repository', {
  imageScanOnPush: true,
  imageTagMutability: ecr.TagMutability.IMMUTABLE,
  // A test repository goes with the test stack.
  removalPolicy: RemovalPolicy.DESTROY,
  emptyOnDelete: true,
});
new ContainerImagePipeline(stack, 'Web', {
  shellScript: 'dnf install -y nginx && dnf clean all',
  repository,
  startOnDeploy: true,
});
new IntegTest(app, 'ContainerImagePipeline', { testCases: [stack] });
