import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsMarketplaceComponent, IComponent, ImageRecipe, ParentImage, Platform } from '../src';
import { inAwsPartition } from './helpers/arns';
import { expectValidTemplate } from './helpers/cfn-validate';

let stack: Stack;

beforeEach(() => {
  stack = new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
});

function arnOf(component: IComponent): string {
  return inAwsPartition(stack.resolve(component.componentArn));
}

const CIS = { componentName: 'cis-hardening', marketplaceProductId: 'prod-abc123def456' };

describe('AwsMarketplaceComponent', () => {
  test('names the component after its product, owned by aws-marketplace, latest version by default', () => {
    const component = AwsMarketplaceComponent.fromAwsMarketplaceComponentAttributes(stack, 'Cis', { ...CIS, platform: Platform.LINUX });

    expect(arnOf(component)).toBe('arn:aws:imagebuilder:us-east-1:aws-marketplace:component/cis-hardening-prod-abc123def456/x.x.x');
    expect(component.platform).toBe(Platform.LINUX);
    expect(component.componentVersion).toBe('x.x.x');
  });

  test('a recipe takes it, and the template validates', () => {
    const component = AwsMarketplaceComponent.fromAwsMarketplaceComponentAttributes(stack, 'Cis', {
      ...CIS, componentVersion: '1.2.x', platform: Platform.LINUX,
    });
    new ImageRecipe(stack, 'Recipe', {
      parentImage: ParentImage.fromSsmParameterName('/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64', { platform: Platform.LINUX }),
      components: [{ component }],
    });

    Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::ImageRecipe', {
      Components: [{
        ComponentArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':imagebuilder:us-east-1:aws-marketplace:component/cis-hardening-prod-abc123def456/1.2.x']] },
      }],
    });
    expectValidTemplate(stack);
  });

  test('a recipe checks its platform', () => {
    const component = AwsMarketplaceComponent.fromAwsMarketplaceComponentAttributes(stack, 'Cis', { ...CIS, platform: Platform.WINDOWS });
    expect(() => new ImageRecipe(stack, 'Recipe', {
      parentImage: ParentImage.fromSsmParameterName('/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64', { platform: Platform.LINUX }),
      components: [{ component }],
    })).toThrow(/components must all run on Linux, the platform of the parent image, got component .* for Windows/);
  });

  test('a product ID known only at deployment is taken as given', () => {
    const productId = new CfnParameter(stack, 'Product', { type: 'String' }).valueAsString;
    const component = AwsMarketplaceComponent.fromAwsMarketplaceComponentAttributes(stack, 'Cis', { componentName: 'cis-hardening', marketplaceProductId: productId });
    expect(JSON.stringify(stack.resolve(component.componentArn))).toContain('{"Ref":"Product"}');
  });

  test('fails on a product ID that is not one', () => {
    expect(() => AwsMarketplaceComponent.fromAwsMarketplaceComponentAttributes(stack, 'Cis', { ...CIS, marketplaceProductId: 'abc123' }))
      .toThrow("marketplaceProductId must be 'prod-' and lowercase letters or digits, got 'abc123'");
  });

  test('fails on a name that is not a component name', () => {
    expect(() => AwsMarketplaceComponent.fromAwsMarketplaceComponentAttributes(stack, 'Cis', { ...CIS, componentName: 'CIS Hardening' }))
      .toThrow("componentName must be a Marketplace component name of lowercase letters, numbers and hyphens, got 'CIS Hardening'");
  });

  test('fails on a version with a wildcard before a number', () => {
    expect(() => AwsMarketplaceComponent.fromAwsMarketplaceComponentAttributes(stack, 'Cis', { ...CIS, componentVersion: 'x.2.3' }))
      .toThrow(/componentVersion must be major\.minor\.patch with numbers or trailing x wildcards/);
  });

  test('fails to be shared: it is not the account\'s own', () => {
    const component = AwsMarketplaceComponent.fromAwsMarketplaceComponentAttributes(stack, 'Cis', CIS);
    expect(() => component.shareWith({ accounts: ['111122223333'] }))
      .toThrow('shareWith/addToResourcePolicy can only share components owned by an AWS account, ' +
        "got one owned by 'aws-marketplace' (AWS Marketplace); share a component of your own");
  });
});
