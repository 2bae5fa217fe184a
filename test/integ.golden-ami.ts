/**
 * Integration test: a golden AMI pipeline that starts on deploy and waits for its first AMI.
 * `npm test` checks the synthesized snapshot; deploying it needs an AWS account (see README).
 */
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { AwsManagedComponent, GoldenAmiPipeline, Platform } from '../src';

const app = new App();
const stack = new Stack(app, 'IntegGoldenAmi');
new GoldenAmiPipeline(stack, 'Golden', {
  components: [{ component: AwsManagedComponent.updateOs(stack, 'UpdateOs', { platform: Platform.LINUX }) }],
  shellScript: 'echo "built by the golden AMI integration test" > /etc/motd',
  keepImages: 2,
  startOnDeploy: true,
  startOnDeployOptions: { waitForCompletion: true },
});
new IntegTest(app, 'GoldenAmiPipeline', { testCases: [stack] });
