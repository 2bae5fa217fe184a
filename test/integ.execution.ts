/**
 * Integration test: a pipeline started on deploy without waiting, another that waits and
 * publishes its AMI ID, and an image that CloudFormation builds by running a third pipeline. `npm test` checks the synthesized snapshot; deploying it needs an AWS
 * account (see README).
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import { AwsManagedComponent, AwsManagedImage, Image, ImagePipeline, ImageRecipe, ParentImage, Platform } from '../src';
import { integApp } from './helpers/integ-app';

const app = integApp();
const stack = new Stack(app, 'IntegExecution');
const recipe = new ImageRecipe(stack, 'Recipe', {
  parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023),
  components: [{ component: AwsManagedComponent.updateOs(stack, 'UpdateOs', { platform: Platform.LINUX }) }],
});
const fireAndForget = new ImagePipeline(stack, 'FireAndForget', { imageRecipe: recipe }).startOnDeploy();
const waited = new ImagePipeline(stack, 'Waited', { imageRecipe: recipe }).startOnDeploy({ waitForCompletion: true });
new CfnOutput(stack, 'AmiId', { value: waited.amiId() });
const builtByPipeline = new Image(stack, 'BuiltByPipeline', { imagePipeline: new ImagePipeline(stack, 'ForImage', { imageRecipe: recipe }) });
new CfnOutput(stack, 'PipelineImageAmiId', { value: builtByPipeline.imageId });
const integ = new IntegTest(app, 'PipelineExecution', { testCases: [stack] });

// GetImage answers more than a custom resource may return (4 KB), so single fields are asserted at
// a path, with anchored regexps (this version's handler does not decode ExpectedResult.exact).

// The waiting execution finished with its build AVAILABLE, and reports that build's AMI.
integ.assertions.awsApiCall('imagebuilder', 'GetImage', { imageBuildVersionArn: waited.imageBuildVersionArn })
  .assertAtPath('image.state.status', ExpectedResult.stringLikeRegexp('^AVAILABLE$'));
integ.assertions.awsApiCall('imagebuilder', 'GetImage', { imageBuildVersionArn: waited.imageBuildVersionArn })
  .assertAtPath('image.outputResources.amis.0.image', ExpectedResult.stringLikeRegexp(`^${waited.amiId()}$`));

// The other execution only started its build: poll until it is AVAILABLE, within the hour
// CloudFormation gives a custom resource.
integ.assertions.awsApiCall('imagebuilder', 'GetImage', { imageBuildVersionArn: fireAndForget.imageBuildVersionArn })
  .assertAtPath('image.state.status', ExpectedResult.stringLikeRegexp('^AVAILABLE$'))
  .waitForAssertions({ totalTimeout: Duration.minutes(50), interval: Duration.minutes(1) });

// CloudFormation created the image only once the pipeline's build was AVAILABLE.
integ.assertions.awsApiCall('imagebuilder', 'GetImage', { imageBuildVersionArn: builtByPipeline.imageArn })
  .assertAtPath('image.state.status', ExpectedResult.stringLikeRegexp('^AVAILABLE$'));
