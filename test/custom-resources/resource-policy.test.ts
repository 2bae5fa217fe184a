import { App, Aws, CfnElement, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import {
  AwsManagedComponent, AwsManagedImage, Component, ComponentData, ContainerParentImage, ContainerRecipe, Image, ImageRecipe,
  ParentImage, Platform,
} from '../../src';
import { PROMOTED_TAG_KEY } from '../../src/custom-resources/handler/resource-policy';
import { ResourcePolicy } from '../../src/custom-resources/resource-policy';
import { expectValidTemplate } from '../helpers/cfn-validate';
import { expectNoNagErrors } from '../helpers/nag';
import { parsePolicy } from '../helpers/resource-policies';

const DOC = 'name: hello\nschemaVersion: 1.0\nphases:\n  - name: build\n    steps:\n      - name: Hello\n        action: ExecuteBash\n        inputs:\n          commands: [echo hello]\n';
const ORG = 'arn:aws:organizations::111111111111:organization/o-a1b2c3d4e5';
const OU = 'arn:aws:organizations::111111111111:ou/o-a1b2c3d4e5/ou-ab12-cd34ef56';

let app: App;
let stack: Stack;

beforeEach(() => {
  app = new App();
  stack = new Stack(app, 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
});

function component(id = 'Component') {
  return new Component(stack, id, { platform: Platform.LINUX, data: ComponentData.fromInline(DOC) });
}


/** `count` distinct account IDs. */
function accounts(count: number): string[] {
  return Array.from({ length: count }, (_, i) => String(111111111111 + i));
}

/**
 * An app with an imported component shared with accounts and one IAM role, whose policy is exactly
 * `length` characters: the accounts (15 characters each) come near, the role's name makes up the rest.
 */
function importedComponentWithPolicyOf(length: number): App {
  const build = (accountCount: number, roleName: string) => {
    const importApp = new App();
    const importStack = new Stack(importApp, 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
    const imported = Component.fromComponentArn(importStack, 'Imported', 'arn:aws:imagebuilder:us-east-1:123456789012:component/shared/1.2.3/4');
    imported.shareWith({ accounts: accounts(accountCount) });
    imported.addToResourcePolicy(new iam.PolicyStatement({
      actions: ['imagebuilder:GetComponent'], principals: [new iam.ArnPrincipal(`arn:aws:iam::111111111111:role/${roleName}`)],
    }));
    const policy = imported.node.findChild('ResourcePolicy') as ResourcePolicy;
    return { app: importApp, length: (importStack.resolve(importStack.toJsonString(policy.document)) as string).length };
  };
  const accountCount = 2 + Math.floor((length - build(2, 'r').length) / 15);
  const near = build(accountCount, 'r');
  const exact = build(accountCount, 'r'.repeat(1 + length - near.length));
  expect(exact.length).toBe(length);
  return exact.app;
}

function policyOf(logicalIdPrefix: string): any {
  const resources = Template.fromStack(stack).findResources('Custom::ImageBuilderResourcePolicy');
  const [, resource] = Object.entries(resources).find(([id]) => id.startsWith(logicalIdPrefix))!;
  return parsePolicy(resource.Properties.Policy);
}

describe('sharing', () => {
  test('shareWith puts a policy on the component build with the read actions and the principals', () => {
    const c = component();
    c.shareWith({ accounts: ['111111111111'], organizationArns: [ORG], organizationalUnitArns: [OU] });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('Custom::ImageBuilderResourcePolicy', {
      ResourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Component'), 'Arn'] },
    });
    const policy = policyOf('ComponentResourcePolicy');
    expect(policy.Statement).toEqual([{
      Effect: 'Allow',
      Action: ['imagebuilder:GetComponent', 'imagebuilder:ListComponents'],
      Principal: { AWS: ['111111111111', ORG, OU] },
      Resource: expect.stringMatching(/^«Component[0-9A-F]+\.Arn»$/),
    }]);
    expectValidTemplate(stack);
    expectNoNagErrors(stack);
  });

  test('each of the four resource types gets its own Put*Policy grant, scoped to the resource', () => {
    const c = component();
    const recipe = new ImageRecipe(stack, 'Recipe', {
      parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023), components: [{ component: c }],
    });
    const containerRecipe = new ContainerRecipe(stack, 'ContainerRecipe', {
      parentImage: ContainerParentImage.fromDockerHub('amazonlinux'),
      components: [{ component: c }],
      targetRepository: new ecr.Repository(stack, 'Repo'),
    });
    const image = new Image(stack, 'Image', { imageRecipe: recipe });
    for (const r of [c, recipe, containerRecipe, image]) {
      r.shareWith({ accounts: ['111111111111'] });
    }

    const template = Template.fromStack(stack);
    template.resourceCountIs('Custom::ImageBuilderResourcePolicy', 4);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    const puts: Array<[string, { node: { defaultChild?: unknown } }]> = [
      ['PutComponentPolicy', c], ['PutImageRecipePolicy', recipe], ['PutContainerRecipePolicy', containerRecipe], ['PutImagePolicy', image],
    ];
    for (const [action, resource] of puts) {
      // The ARN each Put*Policy takes: the build version ARN of components and images, the Arn attribute of each.
      expect(statements.filter((s: any) => s.Action === `imagebuilder:${action}`)).toEqual([{
        Action: `imagebuilder:${action}`,
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [stack.getLogicalId(resource.node.defaultChild as CfnElement), 'Arn'] },
      }]);
    }
    expect(policyOf('ImageResourcePolicy').Statement[0].Action).toEqual(['imagebuilder:GetImage', 'imagebuilder:ListImages']);
    expect(policyOf('RecipeResourcePolicy').Statement[0].Action).toEqual(['imagebuilder:GetImageRecipe', 'imagebuilder:ListImageRecipes']);
    expect(policyOf('ContainerRecipeResourcePolicy').Statement[0].Action)
      .toEqual(['imagebuilder:GetContainerRecipe', 'imagebuilder:ListContainerRecipes']);
    expectValidTemplate(stack);
    expectNoNagErrors(stack);
  });

  test('the handler may tag resource shares with the key of the shares it promotes, and no other', () => {
    component().shareWith({ accounts: ['111111111111'] });

    const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    expect(statements.filter((s: any) => [s.Action].flat().includes('ram:TagResource'))).toEqual([{
      Effect: 'Allow',
      Action: 'ram:TagResource',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ram:us-east-1:123456789012:resource-share/*']] },
      Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': [PROMOTED_TAG_KEY] } },
    }]);
    expectNoNagErrors(stack);
  });

  test('the RAM calls are in a policy every resource policy depends on: removing the last one keeps them for its Delete', () => {
    component('First').shareWith({ accounts: ['111111111111'] });
    component('Second').shareWith({ accounts: ['111111111111'] });

    const template = Template.fromStack(stack);
    const policies = template.findResources('AWS::IAM::Policy');
    const kindPolicyId = Object.keys(policies).find((id) => id.startsWith('CdkImageBuilderHandlerResourcePolicyPolicy'))!;
    const ramActions = policies[kindPolicyId].Properties.PolicyDocument.Statement.flatMap((st: any) => [st.Action].flat());
    expect(ramActions).toEqual(expect.arrayContaining(['ram:ListResources', 'ram:DeleteResourceShare', 'ram:DisassociateResourceShare']));
    // Not in the role's default policy, which an update rewrites before it deletes the resources it removed.
    const defaultPolicy = Object.entries(policies).find(([id]) => id.startsWith('CdkImageBuilderHandlerRoleDefaultPolicy'))![1];
    expect(JSON.stringify(defaultPolicy)).not.toContain('ram:');
    const resourcePolicies = Object.values(template.findResources('Custom::ImageBuilderResourcePolicy'));
    expect(resourcePolicies).toHaveLength(2);
    for (const resourcePolicy of resourcePolicies) {
      expect(resourcePolicy.DependsOn).toContain(kindPolicyId);
    }
    expectNoNagErrors(stack);
  });

  test('an imported component\'s policy of exactly 30,000 characters is accepted', () => {
    const app30000 = importedComponentWithPolicyOf(30_000);

    expect(() => app30000.synth()).not.toThrow();
  });

  test('fails for an imported component\'s policy of 30,001 characters, naming its length', () => {
    const app30001 = importedComponentWithPolicyOf(30_001);

    expect(() => app30001.synth()).toThrow(/the resource policy \(shareWith and addToResourcePolicy\) must be at most 30000 characters for PutComponentPolicy, got 30001;/);
  });

  test('fails for a component shared with 2,000 accounts, whose policy is longer than the 30,000 characters Put*Policy accepts', () => {
    component().shareWith({ accounts: accounts(2_000) });

    expect(() => app.synth()).toThrow(new RegExp('the resource policy \\(shareWith and addToResourcePolicy\\) must be at most 30000 characters for ' +
      'PutComponentPolicy, got at least 30\\d{3}; share with organizations or organizational units rather than many accounts'));
  });

  test('addToResourcePolicy adds statements to one policy per resource, the resource filled in', () => {
    const c = component();
    c.shareWith({ accounts: ['111111111111'] });
    c.addToResourcePolicy(new iam.PolicyStatement({ actions: ['imagebuilder:GetComponent'], principals: [new iam.AccountPrincipal('222222222222')] }));

    Template.fromStack(stack).resourceCountIs('Custom::ImageBuilderResourcePolicy', 1);
    const policy = policyOf('ComponentResourcePolicy');
    expect(policy.Statement).toHaveLength(2);
    expect(policy.Statement[1].Resource).toEqual(policy.Statement[0].Resource);
  });

  describe('what a shared resource needs shared too', () => {
    const sharingWarnings = () => Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map((w) => [w.id, w.entry.data]);

    test('a shared recipe warns about its components of this app that are not shared, those added later too', () => {
      const shared = component('Shared');
      const recipe = new ImageRecipe(stack, 'Recipe', {
        parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023),
        components: [{ component: shared }, { component: AwsManagedComponent.updateOs(stack, 'Update', { platform: Platform.LINUX }) }],
      });
      recipe.shareWith({ organizationArns: [ORG] });
      shared.shareWith({ organizationArns: [ORG] });
      recipe.addComponent(component('Later'));

      expect(sharingWarnings()).toEqual([[
        '/Stack/Recipe',
        'the recipe is shared, but its components Stack/Later of this app are not: builds in the accounts it is shared with could not ' +
        'get them; share them too (component.shareWith) [ack: cdk-imagebuilder:sharedRecipeComponents]',
      ]]);
    });

    test('a shared container recipe whose components are all shared, and a recipe not shared, warn of nothing', () => {
      const shared = component('Shared');
      shared.shareWith({ accounts: ['111111111111'] });
      new ContainerRecipe(stack, 'Container', {
        parentImage: ContainerParentImage.fromDockerHub('amazonlinux'),
        targetRepository: new ecr.Repository(stack, 'Repository'),
        components: [{ component: shared }],
      }).shareWith({ accounts: ['111111111111'] });
      new ImageRecipe(stack, 'Private', {
        parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023), components: [{ component: component('Unshared') }],
      });

      expect(sharingWarnings()).toEqual([]);
    });

    test('a shared component with a customer managed key warns that the key must let the accounts decrypt', () => {
      const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
      new Component(stack, 'Encrypted', { platform: Platform.LINUX, data: ComponentData.fromInline(DOC), kmsKey: key }).shareWith({ accounts: ['111111111111'] });

      expect(sharingWarnings()).toEqual([[
        '/Stack/Encrypted',
        'the component is shared, but encrypted with the customer managed key Stack/Key: builds in the accounts it is shared with cannot ' +
        "read it unless the key's policy lets them decrypt with it (kms:Decrypt); allow them there [ack: cdk-imagebuilder:sharedComponentKey]",
      ]]);
    });
  });

  test('an imported component with a build version ARN can be shared', () => {
    const imported = Component.fromComponentArn(stack, 'Imported', 'arn:aws:imagebuilder:us-east-1:123456789012:component/shared/1.2.3/4');
    imported.shareWith({ accounts: ['111111111111'] });
    Template.fromStack(stack).hasResourceProperties('Custom::ImageBuilderResourcePolicy', {
      ResourceArn: 'arn:aws:imagebuilder:us-east-1:123456789012:component/shared/1.2.3/4',
    });
  });

  describe('one policy per resource', () => {
    const SHARED = 'arn:aws:imagebuilder:us-east-1:123456789012:component/shared/1.2.3/4';

    test('fails when the same resource, imported twice, is shared through both imports', () => {
      Component.fromComponentArn(stack, 'First', SHARED).shareWith({ accounts: ['111111111111'] });
      const second = Component.fromComponentArn(stack, 'Second', SHARED);

      expect(() => second.shareWith({ accounts: ['222222222222'] })).toThrow(
        `shareWith/addToResourcePolicy puts the resource policy of '${SHARED}', which Stack/First puts already: ` +
        "a resource has one policy, and two would replace each other's; share it through one construct");
    });

    test('fails when two stacks of the app share the same resource', () => {
      const other = new Stack(app, 'Other', { env: { account: '123456789012', region: 'us-east-1' } });
      Component.fromComponentArn(stack, 'First', SHARED).shareWith({ accounts: ['111111111111'] });

      expect(() => Component.fromComponentArn(other, 'Second', SHARED).addToResourcePolicy(new iam.PolicyStatement({
        actions: ['imagebuilder:GetComponent'], principals: [new iam.AccountPrincipal('222222222222')],
      }))).toThrow(/puts the resource policy of '.*component\/shared\/1\.2\.3\/4', which Stack\/First puts already/);
    });

    test('fails when two stacks of one account and region share a recipe imported by name and version', () => {
      const other = new Stack(app, 'Other', { env: { account: '123456789012', region: 'us-east-1' } });
      ImageRecipe.fromImageRecipeAttributes(stack, 'First', { imageRecipeName: 'golden', imageRecipeVersion: '1.0.0' })
        .shareWith({ accounts: ['111111111111'] });
      const second = ImageRecipe.fromImageRecipeAttributes(other, 'Second', { imageRecipeName: 'golden', imageRecipeVersion: '1.0.0' });

      expect(() => second.shareWith({ accounts: ['222222222222'] })).toThrow(/puts the resource policy of this resource, which Stack\/First puts already/);
    });

    test('fails when a component shared in its stack is imported into another stack and shared there too', () => {
      const other = new Stack(app, 'Other', { env: { account: '123456789012', region: 'us-east-1' } });
      const created = new Component(stack, 'Created', { platform: Platform.LINUX, data: ComponentData.fromInline(DOC) });
      created.shareWith({ accounts: ['111111111111'] });
      const imported = Component.fromComponentArn(other, 'Imported', created.componentBuildVersionArn);

      expect(() => imported.shareWith({ accounts: ['222222222222'] })).toThrow(/puts the resource policy of this resource, which Stack\/Created puts already/);
    });

    test('takes two created components shared in two stacks', () => {
      const other = new Stack(app, 'Other', { env: { account: '123456789012', region: 'us-east-1' } });
      for (const s of [stack, other]) {
        new Component(s, 'Created', { platform: Platform.LINUX, data: ComponentData.fromInline(DOC) }).shareWith({ accounts: ['111111111111'] });
      }
      for (const s of [stack, other]) {
        expect(Object.keys(Template.fromStack(s).findResources('Custom::ImageBuilderResourcePolicy'))).toHaveLength(1);
      }
    });

    test('takes one import shared twice, and two stacks that share the same ARN in their own regions, known only at deployment', () => {
      const imported = Component.fromComponentArn(stack, 'First', SHARED);
      imported.shareWith({ accounts: ['111111111111'] });
      imported.shareWith({ accounts: ['222222222222'] });
      const agnostic = [new Stack(app, 'A'), new Stack(app, 'B')];
      const inItsRegion = `arn:${Aws.PARTITION}:imagebuilder:${Aws.REGION}:123456789012:component/shared/1.2.3/4`;
      agnostic.forEach((s) => Component.fromComponentArn(s, 'Shared', inItsRegion).shareWith({ accounts: ['111111111111'] }));

      expect(Object.keys(Template.fromStack(stack).findResources('Custom::ImageBuilderResourcePolicy'))).toHaveLength(1);
      agnostic.forEach((s) => expect(Object.keys(Template.fromStack(s).findResources('Custom::ImageBuilderResourcePolicy'))).toHaveLength(1));
    });
  });

  test.each([
    ['region eu-west-1', 'arn:aws:imagebuilder:eu-west-1:123456789012:component/shared/1.2.3/4'],
    ['account 999999999999', 'arn:aws:imagebuilder:us-east-1:999999999999:component/shared/1.2.3/4'],
    ['account 999999999999 and region eu-west-1', 'arn:aws:imagebuilder:eu-west-1:999999999999:component/shared/1.2.3/4'],
    // Whose it is comes before the form of its ARN: no build number would let the stack share it.
    ['account 999999999999', 'arn:aws:imagebuilder:us-east-1:999999999999:component/shared/1.2.x'],
  ])('fails for an imported component of %s, where the stack cannot put its policy', (where, arn) => {
    const imported = Component.fromComponentArn(stack, 'Imported', arn);
    expect(() => imported.shareWith({ accounts: ['111111111111'] })).toThrow('shareWith/addToResourcePolicy can only share components of the ' +
      `stack's account and region, where its function puts the policy, got componentArn '${arn}' of ${where}; ` +
      'share it from a stack of that account and region');
    expect(imported.node.tryFindChild('ResourcePolicy')).toBeUndefined();
  });

  test('fails for an AWS-managed component of another region as owned by AWS, which no stack can share', () => {
    const arn = 'arn:aws:imagebuilder:us-west-2:aws:component/update-linux/1.0.2/1';
    expect(() => Component.fromComponentArn(stack, 'Managed', arn).shareWith({ accounts: ['111111111111'] }))
      .toThrow(`shareWith/addToResourcePolicy can only share components owned by an AWS account, got componentArn '${arn}' owned by 'aws'`);
  });

  test('fails for an imported image recipe of another region whose ARN holds the partition as a token, naming the import', () => {
    const imported = ImageRecipe.fromImageRecipeArn(stack, 'Imported', `arn:${Aws.PARTITION}:imagebuilder:eu-west-1:123456789012:image-recipe/golden/1.0.0`);
    expect(() => imported.shareWith({ accounts: ['111111111111'] }))
      .toThrow(/got imageRecipeArn Stack\/Imported of region eu-west-1; share it from a stack of that account and region$/);
  });

  test('fails for an imported component without its build number', () => {
    const imported = Component.fromComponentArn(stack, 'Imported', 'arn:aws:imagebuilder:us-east-1:123456789012:component/shared/1.2.3');
    expect(() => imported.shareWith({ accounts: ['111111111111'] }))
      .toThrow('shareWith/addToResourcePolicy needs componentArn with a build number (.../1.0.0/1), as PutComponentPolicy takes, ' +
        "got 'arn:aws:imagebuilder:us-east-1:123456789012:component/shared/1.2.3'; import the component by its build version ARN");
  });

  test('fails for an imported image recipe without its version', () => {
    const imported = ImageRecipe.fromImageRecipeArn(stack, 'Imported', 'arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/golden/x.x.x');
    expect(() => imported.shareWith({ accounts: ['111111111111'] }))
      .toThrow('shareWith/addToResourcePolicy needs imageRecipeArn with a version (.../1.0.0), as PutImageRecipePolicy takes, ' +
        "got 'arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/golden/x.x.x'; import the image recipe by its version ARN");
  });

  test('fails for an AWS-managed component', () => {
    const managed = AwsManagedComponent.updateOs(stack, 'Update', { platform: Platform.LINUX });
    // Its ARN holds the stack's partition and region as tokens; the owner field still reads 'aws'.
    expect(() => managed.shareWith({ accounts: ['111111111111'] })).toThrow('shareWith/addToResourcePolicy can only share components ' +
      "owned by an AWS account, got one owned by 'aws' (AWS-managed); share a component of your own");
  });

  test.each([
    ['aws', 'AWS-managed'], ['aws-marketplace', 'AWS Marketplace'], ['third-party', 'third-party'],
  ])('fails for an imported component build owned by \'%s\', naming the owner', (owner, label) => {
    const arn = `arn:aws:imagebuilder:us-east-1:${owner}:component/update-linux/1.0.0/1`;
    const imported = Component.fromComponentArn(stack, 'Imported', arn);
    expect(() => imported.shareWith({ accounts: ['111111111111'] })).toThrow('shareWith/addToResourcePolicy can only share components ' +
      `owned by an AWS account, got componentArn '${arn}' owned by '${owner}' (${label}); share a component of your own`);
  });

  test('fails again on a second try after a caught failure: no policy is left behind to take the statement', () => {
    const arn = 'arn:aws:imagebuilder:us-east-1:aws:component/update-linux/1.0.0/1';
    const imported = Component.fromComponentArn(stack, 'Imported', arn);
    const message = 'shareWith/addToResourcePolicy can only share components owned by an AWS account, ' +
      `got componentArn '${arn}' owned by 'aws' (AWS-managed); share a component of your own`;
    expect(() => imported.shareWith({ accounts: ['111111111111'] })).toThrow(message);
    expect(imported.node.tryFindChild('ResourcePolicy')).toBeUndefined();
    expect(() => imported.shareWith({ accounts: ['111111111111'] })).toThrow(message);
  });

  test('fails for an imported AWS-owned image build given a statement with addToResourcePolicy', () => {
    const arn = 'arn:aws:imagebuilder:us-east-1:aws:image/amazon-linux-2023-x86/2025.1.1/1';
    const imported = Image.fromImageArn(stack, 'Imported', arn);
    expect(() => imported.addToResourcePolicy(new iam.PolicyStatement({
      actions: ['imagebuilder:GetImage'], principals: [new iam.AccountPrincipal('111111111111')],
    }))).toThrow('shareWith/addToResourcePolicy can only share images owned by an AWS account, ' +
      `got imageArn '${arn}' owned by 'aws' (AWS-managed); share an image of your own`);
  });

  test('fails for a malformed account ID', () => {
    expect(() => component().shareWith({ accounts: ['12345'] }))
      .toThrow(/shareWith accounts must be an AWS account ID of exactly 12 digits, e\.g\. 123456789012, got '12345'/);
  });

  test('fails for a malformed organization ARN', () => {
    expect(() => component().shareWith({ organizationArns: ['o-a1b2c3d4e5'] }))
      .toThrow(/shareWith organizationArns must be an organization ARN like .*, got 'o-a1b2c3d4e5'/);
  });

  test('fails for a malformed organizational unit ARN', () => {
    expect(() => component().shareWith({ organizationalUnitArns: ['ou-ab12-cd34ef56'] }))
      .toThrow(/shareWith organizationalUnitArns must be an organizational unit ARN like .*, got 'ou-ab12-cd34ef56'/);
  });

  test('fails when no one is named', () => {
    expect(() => component().shareWith({})).toThrow(/shareWith needs at least one of accounts, organizationArns or organizationalUnitArns, got none/);
  });

  test('fails for an action the resource type does not accept', () => {
    component().addToResourcePolicy(new iam.PolicyStatement({
      actions: ['imagebuilder:DeleteComponent'], principals: [new iam.AccountPrincipal('111111111111')],
    }));
    expect(() => app.synth()).toThrow(/resource policy statement 0: a component policy may grant imagebuilder:GetComponent and imagebuilder:ListComponents, got 'imagebuilder:DeleteComponent'/);
  });

  test('fails for a Deny statement', () => {
    component().addToResourcePolicy(new iam.PolicyStatement({
      effect: iam.Effect.DENY, actions: ['imagebuilder:GetComponent'], principals: [new iam.AccountPrincipal('111111111111')],
    }));
    expect(() => app.synth()).toThrow(/resource policy statement 0: Effect must be Allow, got 'Deny'/);
  });

  test('fails for a service principal', () => {
    component().addToResourcePolicy(new iam.PolicyStatement({
      actions: ['imagebuilder:GetComponent'], principals: [new iam.ServicePrincipal('ec2.amazonaws.com')],
    }));
    expect(() => app.synth()).toThrow(/resource policy statement 0: Principal must name AWS accounts, organizations or organizational units, got \{"Service":"ec2.amazonaws.com"\}/);
  });

  test('fails for a principal that is no account, organization, OU or IAM ARN', () => {
    component().addToResourcePolicy(new iam.PolicyStatement({
      actions: ['imagebuilder:GetComponent'], principals: [new iam.ArnPrincipal('*')],
    }));
    expect(() => app.synth()).toThrow(/resource policy statement 0: principal '\*' is not an account ID/);
  });

  test('fails for NotAction', () => {
    component().addToResourcePolicy(new iam.PolicyStatement({
      notActions: ['imagebuilder:DeleteComponent'], principals: [new iam.AccountPrincipal('111111111111')],
    }));
    expect(() => app.synth()).toThrow(/resource policy statement 0: NotAction is not supported by PutComponentPolicy, use Action/);
  });
});
