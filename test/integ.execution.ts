/**
 * Integration test: a pipeline started on deploy without waiting, and another that waits and
 * publishes its AMI ID. `npm test` checks the synthesized snapshot; deploying it needs an AWS
 * account (see README).
 */
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import { AwsManagedComponent, AwsManagedImage, ImagePipeline, ImageRecipe, ParentImage, Platform } from '../src';

const app = new App();
const stack = new Stack(app, 'IntegExecution');
const recipe = new ImageRecipe(stack, 'Recipe', {
  parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023),
  components: [{ component: AwsManagedComponent.updateOs(stack, 'UpdateOs', { platform: Platform.LINUX }) }],
});
new ImagePipeline(stack, 'FireAndForget', { imageRecipe: recipe }).startOnDeploy();
const waited = new ImagePipeline(stack, 'Waited', { imageRecipe: recipe }).startOnDeploy({ waitForCompletion: true });
new CfnOutput(stack, 'AmiId', { value: waited.amiId() });
new IntegTest(app, 'PipelineExecution', { testCases: [stack] });
