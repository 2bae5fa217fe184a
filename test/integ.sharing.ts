/**
 * Integration test: a component, an image recipe and an image shared through resource policies
 * whose AWS RAM shares are promoted. Set the account to share with in the environment variable
 * SHARE_WITH_ACCOUNT when deploying. `npm test` checks the synthesized snapshot.
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { Stack } from 'aws-cdk-lib';
import { AwsManagedImage, Component, ComponentData, Image, ImageRecipe, ParentImage, Platform } from '../src';
import { integApp } from './helpers/integ-app';

const app = integApp();
const account = process.env.SHARE_WITH_ACCOUNT ?? '111122223333';
const stack = new Stack(app, 'IntegSharing');
const component = new Component(stack, 'Hello', {
  platform: Platform.LINUX,
  data: ComponentData.fromShellScript('echo "hello from a shared component"'),
});
const recipe = new ImageRecipe(stack, 'Recipe', {
  parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023),
  components: [{ component }],
});
const image = new Image(stack, 'Image', { imageRecipe: recipe });
for (const shared of [component, recipe, image]) {
  shared.shareWith({ accounts: [account] });
}
const integ = new IntegTest(app, 'Sharing', { testCases: [stack] });

// Each policy, as the service returns it (a JSON string), names the account shared with. Components
// and images have their policy on the build version ARN, as the construct puts it.
const namesAccount = ExpectedResult.objectLike({ policy: Match.stringLikeRegexp(account) });
integ.assertions.awsApiCall('imagebuilder', 'GetComponentPolicy', { componentArn: component.componentBuildVersionArn })
  .expect(namesAccount);
integ.assertions.awsApiCall('imagebuilder', 'GetImageRecipePolicy', { imageRecipeArn: recipe.imageRecipeArn })
  .expect(namesAccount);
integ.assertions.awsApiCall('imagebuilder', 'GetImagePolicy', { imageArn: image.imageArn })
  .expect(namesAccount);
