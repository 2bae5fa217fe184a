/**
 * Integration test: a golden AMI pipeline that starts on deploy and waits for its first AMI.
 * `npm test` checks the synthesized snapshot; deploying it needs an AWS account (see README).
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { Stack } from 'aws-cdk-lib';
import { AwsManagedComponent, GoldenAmiPipeline, Platform } from '../src';
import { integApp } from './helpers/integ-app';

const app = integApp();
const stack = new Stack(app, 'IntegGoldenAmi');
const golden = new GoldenAmiPipeline(stack, 'Golden', {
  components: [{ component: AwsManagedComponent.updateOs(stack, 'UpdateOs', { platform: Platform.LINUX }) }],
  shellScript: 'echo "built by the golden AMI integration test" > /etc/motd',
  keepImages: 2,
  startOnDeploy: true,
  startOnDeployOptions: { waitForCompletion: true },
  // The test's AMIs and snapshots go with the stack.
  autoDeleteImages: true,
});
const integ = new IntegTest(app, 'GoldenAmiPipeline', { testCases: [stack] });

// The execution waited for the image, so the build and its distribution are done when these run.
const execution = golden.execution!;
const amiId = execution.amiId();

// The distribution wrote the new AMI to the SSM parameter, whose unique default name the pattern tells.
const ssmParameterName = golden.ssmParameterName;
integ.assertions.awsApiCall('ssm', 'GetParameter', { Name: ssmParameterName })
  .expect(ExpectedResult.objectLike({ Parameter: { Name: ssmParameterName, Value: amiId } }));

// GetImage answers more than a custom resource may return (4 KB): assert single fields, at a path.
// Anchored regexps, because this version's handler does not decode ExpectedResult.exact.
integ.assertions.awsApiCall('imagebuilder', 'GetImage', { imageBuildVersionArn: execution.imageBuildVersionArn })
  .assertAtPath('image.state.status', ExpectedResult.stringLikeRegexp('^AVAILABLE$'));

integ.assertions.awsApiCall('ec2', 'DescribeImages', { ImageIds: [amiId] })
  .assertAtPath('Images.0.State', ExpectedResult.stringLikeRegexp('^available$'));
