/**
 * Integration test: a container image pipeline pushing to its own ECR repository.
 * `npm test` checks the synthesized snapshot; deploying it needs an AWS account (see README).
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { ContainerImagePipeline } from '../src';
import { integApp } from './helpers/integ-app';

const app = integApp();
const stack = new Stack(app, 'IntegContainerImage');
const repository = new ecr.Repository(stack, 'Repository', {
  imageScanOnPush: true,
  imageTagMutability: ecr.TagMutability.IMMUTABLE,
  // A test repository goes with the test stack.
  removalPolicy: RemovalPolicy.DESTROY,
  emptyOnDelete: true,
});
const web = new ContainerImagePipeline(stack, 'Web', {
  shellScript: 'dnf install -y nginx && dnf clean all',
  repository,
  startOnDeploy: true,
  // The test's container images go with the stack.
  autoDeleteImages: true,
});
const integ = new IntegTest(app, 'ContainerImagePipeline', { testCases: [stack] });

// The execution does not wait for the image: poll until the build is AVAILABLE, within the hour
// CloudFormation gives a custom resource. GetImage answers more than a custom resource may return
// (4 KB), so single fields are asserted at a path, with anchored regexps (this version's handler
// does not decode ExpectedResult.exact).
const imageBuildVersionArn = web.execution!.imageBuildVersionArn;
const available = integ.assertions.awsApiCall('imagebuilder', 'GetImage', { imageBuildVersionArn })
  .assertAtPath('image.state.status', ExpectedResult.stringLikeRegexp('^AVAILABLE$'))
  .waitForAssertions({ totalTimeout: Duration.minutes(50), interval: Duration.minutes(1) });
// The build pushed its image to the pattern's repository.
available.next(integ.assertions.awsApiCall('imagebuilder', 'GetImage', { imageBuildVersionArn })
  .assertAtPath('image.outputResources.containers.0.imageUris.0', ExpectedResult.stringLikeRegexp(`^${web.repository.repositoryUri}:`)));

// The app passes its own repository, so the pattern's defaults (scan on push, immutable tags) are
// not in play: check that the repository the images go to is configured as the app asks.
integ.assertions.awsApiCall('ecr', 'DescribeRepositories', { repositoryNames: [repository.repositoryName] })
  .expect(ExpectedResult.objectLike({
    repositories: [Match.objectLike({ imageScanningConfiguration: { scanOnPush: true }, imageTagMutability: 'IMMUTABLE' })],
  }));
