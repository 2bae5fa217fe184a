import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  AwsManagedComponent, AwsManagedImage, ContainerParentImage, ContainerRecipe, ImageRecipe, ParentImage, Platform,

  LifecycleAction,
  LifecycleFilter,
  LifecyclePolicy,
  LifecyclePolicyProps,
  LifecyclePolicyStatus,
  LifecycleRecipeSelection,
  LifecycleResourceSelection,
  LifecycleResourceType,
  LifecycleRule,
  LifecycleTimeSpan,
  LifecycleTimeUnit,
} from '../src';
import { expectValidTemplate } from './helpers/cfn-validate';
import { expectNoNagErrors } from './helpers/nag';

const ENV = { account: '123456789012', region: 'us-east-1' };
const POLICY = 'AWS::ImageBuilder::LifecyclePolicy';
const MANAGED_POLICY = 'service-role/EC2ImageBuilderLifecycleExecutionPolicy';

let app: App;
let stack: Stack;

beforeEach(() => {
  app = new App();
  stack = new Stack(app, 'Stack', { env: ENV });
});

function imageRecipe(id = 'Recipe'): ImageRecipe {
  return new ImageRecipe(stack, id, {
    parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023),
    components: [{ component: AwsManagedComponent.updateOs(stack, `${id}Update`, { platform: Platform.LINUX }) }],
  });
}

function containerRecipe(id = 'Container'): ContainerRecipe {
  return new ContainerRecipe(stack, id, {
    parentImage: ContainerParentImage.fromDockerHub('amazonlinux', { tag: '2023' }),
    targetRepository: new ecr.Repository(stack, `${id}Repo`),
    components: [{ component: AwsManagedComponent.updateOs(stack, `${id}Update`, { platform: Platform.LINUX }) }],
  });
}

const DELETE_OLD: LifecycleRule = { action: LifecycleAction.DELETE, filter: LifecycleFilter.age(Duration.days(90)) };

/** An AMI policy selecting images by tag, with the given changes. */
function newPolicy(props: Partial<LifecyclePolicyProps> = {}, id = 'Policy'): LifecyclePolicy {
  return new LifecyclePolicy(stack, id, {
    resourceType: LifecycleResourceType.AMI_IMAGE,
    resourceSelection: LifecycleResourceSelection.fromTags({ team: 'platform' }),
    rules: [DELETE_OLD],
    ...props,
  });
}

/** An AMI policy with one rule. */
function policyWithRule(rule: Partial<LifecycleRule>, resourceType = LifecycleResourceType.AMI_IMAGE, id = 'Policy'): LifecyclePolicy {
  return newPolicy({ resourceType, rules: [{ ...DELETE_OLD, ...rule }] }, id);
}

function policyProperties(): any {
  const [resource] = Object.values(Template.fromStack(stack).findResources(POLICY));
  return resource.Properties;
}

describe('LifecyclePolicy', () => {
  test('an AMI policy for a recipe of this library covers every version of the recipe, with a created execution role', () => {
    const recipe = imageRecipe();
    const policy = new LifecyclePolicy(stack, 'Policy', {
      lifecyclePolicyName: 'ami-cleanup',
      resourceType: LifecycleResourceType.AMI_IMAGE,
      resourceSelection: LifecycleResourceSelection.fromRecipes([LifecycleRecipeSelection.imageRecipe(recipe)]),
      rules: [{ action: LifecycleAction.DELETE, filter: LifecycleFilter.count(5), includeAmis: true, includeSnapshots: true }],
    });

    const template = Template.fromStack(stack);
    template.hasResourceProperties(POLICY, Match.objectEquals({
      Name: 'ami-cleanup',
      Status: 'ENABLED',
      ResourceType: 'AMI_IMAGE',
      ExecutionRole: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PolicyExecutionRole'), 'Arn'] },
      ResourceSelection: {
        Recipes: [{ Name: { 'Fn::GetAtt': [stack.getLogicalId(recipe.node.defaultChild as any), 'Name'] }, SemanticVersion: 'x.x.x' }],
      },
      PolicyDetails: [{
        Action: { Type: 'DELETE', IncludeResources: { Amis: true, Snapshots: true } },
        Filter: { Type: 'COUNT', Value: 5 },
      }],
    }));
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'imagebuilder.amazonaws.com' } })] },
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::aws:policy/${MANAGED_POLICY}`]] }],
    });
    expect(policy.lifecyclePolicyName).toBe('ami-cleanup');
    expect(stack.resolve(policy.lifecyclePolicyArn)).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(policy.node.defaultChild as any), 'Arn'] });
    expectValidTemplate(stack);
    expectNoNagErrors(app);
  });

  test('recipe selections: a narrower wildcard version, and any recipe by name', () => {
    const recipe = imageRecipe();
    newPolicy({
      resourceSelection: LifecycleResourceSelection.fromRecipes([
        LifecycleRecipeSelection.imageRecipe(recipe, '1.0.x'),
        LifecycleRecipeSelection.fromRecipeName('shared-recipe', '2.x.x'),
        LifecycleRecipeSelection.fromRecipeName('other-recipe'),
      ]),
    });

    expect(policyProperties().ResourceSelection.Recipes).toEqual([
      { Name: { 'Fn::GetAtt': [stack.getLogicalId(recipe.node.defaultChild as any), 'Name'] }, SemanticVersion: '1.0.x' },
      { Name: 'shared-recipe', SemanticVersion: '2.x.x' },
      { Name: 'other-recipe', SemanticVersion: 'x.x.x' },
    ]);
    expectValidTemplate(stack);
  });

  test('a container policy deletes old container images from ECR, skipping tagged images', () => {
    const recipe = containerRecipe();
    new LifecyclePolicy(stack, 'Policy', {
      resourceType: LifecycleResourceType.CONTAINER_IMAGE,
      resourceSelection: LifecycleResourceSelection.fromRecipes([LifecycleRecipeSelection.containerRecipe(recipe)]),
      rules: [{
        action: LifecycleAction.DELETE,
        filter: LifecycleFilter.ageInUnits(6, LifecycleTimeUnit.MONTHS),
        retainAtLeast: 3,
        includeContainers: true,
        excludeImageTags: { keep: 'true' },
      }],
    });

    const properties = policyProperties();
    expect(properties.ResourceType).toBe('CONTAINER_IMAGE');
    expect(properties.ResourceSelection.Recipes).toEqual([
      { Name: { 'Fn::GetAtt': [stack.getLogicalId(recipe.node.defaultChild as any), 'Name'] }, SemanticVersion: 'x.x.x' },
    ]);
    expect(properties.PolicyDetails).toEqual([{
      Action: { Type: 'DELETE', IncludeResources: { Containers: true } },
      Filter: { Type: 'AGE', Value: 6, Unit: 'MONTHS', RetainAtLeast: 3 },
      ExclusionRules: { TagMap: { keep: 'true' } },
    }]);
    expectValidTemplate(stack);
    expectNoNagErrors(app);
  });

  describe('the ECR access tag that container lifecycle actions need', () => {
    const deleteContainers = (recipe: ContainerRecipe, includeContainers: boolean) => new LifecyclePolicy(stack, 'Policy', {
      resourceType: LifecycleResourceType.CONTAINER_IMAGE,
      resourceSelection: LifecycleResourceSelection.fromRecipes([LifecycleRecipeSelection.containerRecipe(recipe)]),
      rules: [{ action: LifecycleAction.DELETE, filter: LifecycleFilter.count(5), includeContainers }],
    });
    const ACCESS_TAG = { Key: 'LifecycleExecutionAccess', Value: 'EC2 Image Builder' };

    test('tags the target repository of a selected recipe when the policy deletes containers', () => {
      deleteContainers(containerRecipe(), true);

      Template.fromStack(stack).hasResourceProperties('AWS::ECR::Repository', { Tags: Match.arrayWith([ACCESS_TAG]) });
      expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('LifecycleExecutionAccess'))).toEqual([]);
    });

    test('leaves the repository untagged when the policy keeps containers', () => {
      deleteContainers(containerRecipe(), false);

      const [repository] = Object.values(Template.fromStack(stack).findResources('AWS::ECR::Repository'));
      expect(repository.Properties?.Tags).toBeUndefined();
    });

    test('warns, naming the tag, when the repository was not created in this app', () => {
      const recipe = new ContainerRecipe(stack, 'Imported', {
        parentImage: ContainerParentImage.fromDockerHub('amazonlinux', { tag: '2023' }),
        targetRepository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'shared-images'),
        components: [{ component: AwsManagedComponent.updateOs(stack, 'Update', { platform: Platform.LINUX }) }],
      });
      deleteContainers(recipe, true);

      Annotations.fromStack(stack).hasWarning('/Stack/Policy', Match.stringLikeRegexp(
        'includeContainers deletes images from shared-images only if that repository has the tag LifecycleExecutionAccess: EC2 Image Builder'));
    });

    const deleteContainersOf = (resourceSelection: LifecycleResourceSelection) => new LifecyclePolicy(stack, 'Policy', {
      resourceType: LifecycleResourceType.CONTAINER_IMAGE,
      resourceSelection,
      rules: [{ action: LifecycleAction.DELETE, filter: LifecycleFilter.count(5), includeContainers: true }],
    });
    test.each([
      ['an imported container recipe', () => LifecycleResourceSelection.fromRecipes([
        LifecycleRecipeSelection.containerRecipe(ContainerRecipe.fromContainerRecipeName(stack, 'Imported', 'web')),
      ]),
      'the target repository of the imported container recipe'],
      ['a recipe selected by name', () => LifecycleResourceSelection.fromRecipes([LifecycleRecipeSelection.fromRecipeName('web')]),
        "the repositories recipe 'web' pushes to"],
      ['a tag selection', () => LifecycleResourceSelection.fromTags({ team: 'web' }),
        'the repositories of the images with the selected tags'],
    ])('warns, naming the tag, for %s, whose repositories this app does not know', (_, selection, repositories) => {
      deleteContainersOf(selection());

      const warnings = Annotations.fromStack(stack).findWarning('/Stack/Policy', Match.stringLikeRegexp('LifecycleExecutionAccess'));
      expect(warnings.map((w) => w.entry.data)).toEqual([
        `includeContainers deletes images from ${repositories} only where the repository has the tag LifecycleExecutionAccess: ` +
        'EC2 Image Builder; this app does not know the repository, so add the tag where it is managed [ack: cdk-imagebuilder:lifecycleRepositoryTag]',
      ]);
    });

    test('does not warn about repositories when the policy keeps containers', () => {
      new LifecyclePolicy(stack, 'Policy', {
        resourceType: LifecycleResourceType.CONTAINER_IMAGE,
        resourceSelection: LifecycleResourceSelection.fromTags({ team: 'web' }),
        rules: [{ action: LifecycleAction.DELETE, filter: LifecycleFilter.count(5) }],
      });

      expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('LifecycleExecutionAccess'))).toEqual([]);
    });
  });

  test('a tag selection', () => {
    newPolicy({ resourceSelection: LifecycleResourceSelection.fromTags({ env: 'test', team: 'platform' }) });

    expect(policyProperties().ResourceSelection).toEqual({ TagMap: { env: 'test', team: 'platform' } });
    expectValidTemplate(stack);
  });

  const FILTERS: Array<[string, LifecycleFilter, any]> = [
    ['age as a Duration', LifecycleFilter.age(Duration.days(30)), { Type: 'AGE', Value: 30, Unit: 'DAYS' }],
    ['age in units', LifecycleFilter.ageInUnits(2, LifecycleTimeUnit.YEARS), { Type: 'AGE', Value: 2, Unit: 'YEARS' }],
    ['count', LifecycleFilter.count(10), { Type: 'COUNT', Value: 10 }],
  ];
  const ACTIONS = [LifecycleAction.DEPRECATE, LifecycleAction.DISABLE, LifecycleAction.DELETE];
  test.each(ACTIONS.flatMap((action) => FILTERS.map(([name, filter, rendered]) => [action, name, filter, rendered] as const)))(
    'AMI policy: %s by %s', (action, _name, filter, rendered) => {
      newPolicy({ rules: [{ action, filter, includeAmis: true }] });

      expect(policyProperties().PolicyDetails).toEqual([{ Action: { Type: action, IncludeResources: { Amis: true } }, Filter: rendered }]);
      expectValidTemplate(stack);
    });

  test('three rules, one per action, with every AMI exclusion', () => {
    newPolicy({
      rules: [
        { action: LifecycleAction.DEPRECATE, filter: LifecycleFilter.age(Duration.days(30)), includeAmis: true, retainAtLeast: 2 },
        { action: LifecycleAction.DISABLE, filter: LifecycleFilter.ageInUnits(3, LifecycleTimeUnit.MONTHS) },
        {
          action: LifecycleAction.DELETE,
          filter: LifecycleFilter.ageInUnits(1, LifecycleTimeUnit.YEARS),
          includeAmis: true,
          includeSnapshots: true,
          excludePublicAmis: true,
          excludeAmisLaunchedWithin: Duration.days(14),
          excludeAmiRegions: ['us-west-2', 'eu-central-1'],
          excludeAmiSharedAccounts: ['210987654321'],
          excludeAmiTags: { pinned: 'yes' },
          excludeImageTags: { keep: 'true' },
        },
      ],
    });

    const details = policyProperties().PolicyDetails;
    expect(details[0]).toEqual({
      Action: { Type: 'DEPRECATE', IncludeResources: { Amis: true } },
      Filter: { Type: 'AGE', Value: 30, Unit: 'DAYS', RetainAtLeast: 2 },
    });
    expect(details[1]).toEqual({ Action: { Type: 'DISABLE' }, Filter: { Type: 'AGE', Value: 3, Unit: 'MONTHS' } });
    expect(details[2].ExclusionRules).toEqual({
      Amis: {
        IsPublic: true,
        LastLaunched: { Value: 14, Unit: 'DAYS' },
        Regions: ['us-west-2', 'eu-central-1'],
        SharedAccounts: ['210987654321'],
        TagMap: { pinned: 'yes' },
      },
      TagMap: { keep: 'true' },
    });
    expectValidTemplate(stack);
  });

  test('ages beyond the day limit in whole weeks are written in weeks', () => {
    policyWithRule({
      filter: LifecycleFilter.age(Duration.days(7 * 200)),
      excludeAmisLaunchedWithin: Duration.days(7 * 100),
    });

    const [detail] = policyProperties().PolicyDetails;
    expect(detail.Filter).toEqual({ Type: 'AGE', Value: 200, Unit: 'WEEKS' });
    expect(detail.ExclusionRules.Amis.LastLaunched).toEqual({ Value: 100, Unit: 'WEEKS' });
    expectValidTemplate(stack);
  });

  test('ages known only at deployment are not checked and are written in days', () => {
    const age = new CfnParameter(stack, 'MaxAgeDays', { type: 'Number' }).valueAsNumber;
    const launched = new CfnParameter(stack, 'LaunchedDays', { type: 'Number' }).valueAsNumber;
    policyWithRule({ filter: LifecycleFilter.age(Duration.days(age)), excludeAmisLaunchedWithin: Duration.days(launched) });

    const [detail] = policyProperties().PolicyDetails;
    expect(detail.Filter).toEqual({ Type: 'AGE', Value: { Ref: 'MaxAgeDays' }, Unit: 'DAYS' });
    expect(detail.ExclusionRules.Amis.LastLaunched).toEqual({ Value: { Ref: 'LaunchedDays' }, Unit: 'DAYS' });
    expectValidTemplate(stack);
  });

  test('fails on an age known only at deployment in another unit than days', () => {
    const hours = new CfnParameter(stack, 'MaxAgeHours', { type: 'Number' }).valueAsNumber;
    expect(() => policyWithRule({ filter: LifecycleFilter.age(Duration.hours(hours)) }))
      .toThrow('rules[0] filter age known only at deployment must be given in days (Duration.days), got one in hours');
  });

  test.each([
    [LifecycleTimeUnit.MONTHS, 6], [LifecycleTimeUnit.YEARS, 2], [LifecycleTimeUnit.DAYS, 365],
  ])('AMIs launched within a span of %s are skipped', (unit, value) => {
    policyWithRule({ excludeAmisLaunchedWithinSpan: LifecycleTimeSpan.of(value, unit) });

    expect(policyProperties().PolicyDetails[0].ExclusionRules.Amis.LastLaunched).toEqual({ Value: value, Unit: unit });
    expectValidTemplate(stack);
  });

  test('a given execution role, status, description and tags; no role is created', () => {
    const role = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::123456789012:role/lifecycle');
    const policy = newPolicy({
      executionRole: role,
      status: LifecyclePolicyStatus.DISABLED,
      description: 'cleans up old images',
      tags: { team: 'platform' },
    });

    const properties = policyProperties();
    expect(properties.ExecutionRole).toBe('arn:aws:iam::123456789012:role/lifecycle');
    expect(properties.Status).toBe('DISABLED');
    expect(properties.Description).toBe('cleans up old images');
    expect(properties.Tags).toEqual({ team: 'platform' });
    expect(policy.executionRole).toBe(role);
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Role', 0);
    expectValidTemplate(stack);
  });

  test('the generated name is valid and the name attribute', () => {
    const policy = newPolicy();

    const name = policyProperties().Name;
    expect(name).toMatch(/^[-_A-Za-z0-9][-_A-Za-z0-9 ]{1,126}[-_A-Za-z0-9]$/);
    expect(policy.lifecyclePolicyName).toBe(name);
    expectValidTemplate(stack);
  });

  test('isLifecyclePolicy', () => {
    expect(LifecyclePolicy.isLifecyclePolicy(newPolicy())).toBe(true);
    expect(LifecyclePolicy.isLifecyclePolicy(LifecyclePolicy.fromLifecyclePolicyName(stack, 'Imported', 'cleanup'))).toBe(false);
    expect(LifecyclePolicy.isLifecyclePolicy(undefined)).toBe(false);
  });

  describe('rules whose ages contradict each other', () => {
    const rule = (action: LifecycleAction, filter: LifecycleFilter, more: Partial<LifecycleRule> = {}): LifecycleRule =>
      ({ action, filter, ...more });
    const { DEPRECATE, DISABLE, DELETE } = LifecycleAction;
    /** The never-acts warnings of the stack, as [path, message] pairs. */
    const neverActsWarnings = () => Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('when the policy first runs'))
      .map((w) => [w.id, w.entry.data]);
    const ack = ' [ack: cdk-imagebuilder:lifecycleRuleNeverActs]';

    test.each([
      [[rule(DEPRECATE, LifecycleFilter.age(Duration.days(90))), rule(DELETE, LifecycleFilter.age(Duration.days(30)))],
        'the DEPRECATE rule acts at 90 days, but the DELETE rule deletes images at 30 days, so the DEPRECATE rule acts only on images already older than 90 days when the policy first runs'],
      // 11 months are at most 341 days, fewer than any year has.
      [[rule(DISABLE, LifecycleFilter.ageInUnits(1, LifecycleTimeUnit.YEARS)),
        rule(DELETE, LifecycleFilter.ageInUnits(11, LifecycleTimeUnit.MONTHS))],
      'the DISABLE rule acts at 1 year, but the DELETE rule deletes images at 11 months, so the DISABLE rule acts only on images already older than 1 year when the policy first runs'],
    ])('warns of a rule that a delete rule always acts before: %#', (rules, message) => {
      newPolicy({ rules });
      expect(neverActsWarnings()).toEqual([['/Stack/Policy', `rules: ${message}${ack}`]]);
    });

    test('warns once per rule, naming the later rule that acts first', () => {
      newPolicy({
        rules: [
          rule(DELETE, LifecycleFilter.age(Duration.days(30))),
          rule(DEPRECATE, LifecycleFilter.age(Duration.days(90))),
          rule(DISABLE, LifecycleFilter.age(Duration.days(60))),
        ],
      });
      expect(neverActsWarnings()).toEqual([
        ['/Stack/Policy', `rules: the DEPRECATE rule acts at 90 days, but the DELETE rule deletes images at 30 days, so the DEPRECATE rule acts only on images already older than 90 days when the policy first runs${ack}`],
        ['/Stack/Policy', `rules: the DISABLE rule acts at 60 days, but the DELETE rule deletes images at 30 days, so the DISABLE rule acts only on images already older than 60 days when the policy first runs${ack}`],
      ]);
    });

    test.each([
      ['ages in order', [rule(DEPRECATE, LifecycleFilter.age(Duration.days(30))), rule(DELETE, LifecycleFilter.age(Duration.days(90)))]],
      ['equal ages', [rule(DEPRECATE, LifecycleFilter.age(Duration.days(30))), rule(DELETE, LifecycleFilter.age(Duration.days(30)))]],
      // 4 weeks may be as long as a month (February), 30 days as long as a month (April).
      ['4 weeks against 1 month', [rule(DEPRECATE, LifecycleFilter.ageInUnits(1, LifecycleTimeUnit.MONTHS)),
        rule(DELETE, LifecycleFilter.ageInUnits(4, LifecycleTimeUnit.WEEKS))]],
      ['30 days against 1 month', [rule(DEPRECATE, LifecycleFilter.ageInUnits(1, LifecycleTimeUnit.MONTHS)), rule(DELETE, LifecycleFilter.age(Duration.days(30)))]],
      ['12 months against 1 year', [rule(DEPRECATE, LifecycleFilter.ageInUnits(1, LifecycleTimeUnit.YEARS)),
        rule(DELETE, LifecycleFilter.ageInUnits(12, LifecycleTimeUnit.MONTHS))]],
      ['a count filter', [rule(DEPRECATE, LifecycleFilter.age(Duration.days(90))), rule(DELETE, LifecycleFilter.count(5))]],
      // Whether a disabled image is deprecated later is not documented.
      ['a later disable rule', [rule(DEPRECATE, LifecycleFilter.ageInUnits(1, LifecycleTimeUnit.MONTHS)),
        rule(DISABLE, LifecycleFilter.ageInUnits(3, LifecycleTimeUnit.WEEKS))]],
      ['a later rule that retains images', [rule(DEPRECATE, LifecycleFilter.age(Duration.days(90))),
        rule(DELETE, LifecycleFilter.age(Duration.days(30)), { retainAtLeast: 2 })]],
      ['a later rule that excludes images', [rule(DEPRECATE, LifecycleFilter.age(Duration.days(90))),
        rule(DELETE, LifecycleFilter.age(Duration.days(30)), { excludeImageTags: { keep: 'true' } })]],
      ['a later rule that excludes AMIs', [rule(DEPRECATE, LifecycleFilter.age(Duration.days(90))),
        rule(DELETE, LifecycleFilter.age(Duration.days(30)), { excludePublicAmis: true })]],
    ])('does not warn with %s, next to a policy that contradicts itself', (_, rules) => {
      newPolicy({ rules });
      newPolicy({ rules: [rule(DEPRECATE, LifecycleFilter.age(Duration.days(90))), rule(DELETE, LifecycleFilter.age(Duration.days(30)))] }, 'Contradicting');
      expect(neverActsWarnings().map(([path]) => path)).toEqual(['/Stack/Contradicting']);
    });

    test('does not warn of an age known only at deployment, next to a policy that contradicts itself', () => {
      const days = new CfnParameter(stack, 'Days', { type: 'Number' }).valueAsNumber;
      newPolicy({ rules: [rule(DEPRECATE, LifecycleFilter.age(Duration.days(days))), rule(DELETE, LifecycleFilter.age(Duration.days(30)))] });
      newPolicy({ rules: [rule(DEPRECATE, LifecycleFilter.age(Duration.days(90))), rule(DELETE, LifecycleFilter.ageInUnits(days, LifecycleTimeUnit.DAYS))] }, 'Token');
      newPolicy({ rules: [rule(DEPRECATE, LifecycleFilter.age(Duration.days(90))), rule(DELETE, LifecycleFilter.age(Duration.days(30)))] }, 'Contradicting');
      expect(neverActsWarnings().map(([path]) => path)).toEqual(['/Stack/Contradicting']);
    });
  });

  describe('imports', () => {
    test('by ARN', () => {
      const policy = LifecyclePolicy.fromLifecyclePolicyArn(stack, 'Imported',
        'arn:aws:imagebuilder:us-east-1:123456789012:lifecycle-policy/cleanup');

      expect(policy.lifecyclePolicyArn).toBe('arn:aws:imagebuilder:us-east-1:123456789012:lifecycle-policy/cleanup');
      expect(policy.lifecyclePolicyName).toBe('cleanup');
    });

    test('by name, in the stack\'s account and region', () => {
      const policy = LifecyclePolicy.fromLifecyclePolicyName(stack, 'Imported', 'Old Images');

      expect(policy.lifecyclePolicyName).toBe('Old Images');
      expect(stack.resolve(policy.lifecyclePolicyArn)).toEqual({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':imagebuilder:us-east-1:123456789012:lifecycle-policy/old-images']],
      });
    });

    test('by attributes that agree', () => {
      const policy = LifecyclePolicy.fromLifecyclePolicyAttributes(stack, 'Imported', {
        lifecyclePolicyArn: 'arn:aws:imagebuilder:us-east-1:123456789012:lifecycle-policy/old-images',
        lifecyclePolicyName: 'Old Images',
      });

      expect(policy.lifecyclePolicyName).toBe('Old Images');
    });

    test('fails without ARN or name', () => {
      expect(() => LifecyclePolicy.fromLifecyclePolicyAttributes(stack, 'Imported', {}))
        .toThrow('give lifecyclePolicyArn or lifecyclePolicyName to import a lifecycle policy, got neither');
    });

    test('fails with an ARN of another resource type', () => {
      expect(() => LifecyclePolicy.fromLifecyclePolicyArn(stack, 'Imported',
        'arn:aws:imagebuilder:us-east-1:123456789012:image-pipeline/cleanup'))
        .toThrow(/lifecyclePolicyArn must be an Image Builder lifecycle-policy ARN/);
    });
  });

  describe('grants', () => {
    test('grantRead on a created policy', () => {
      const policy = newPolicy();
      const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
      policy.grantRead(role);

      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: [{
            Action: 'imagebuilder:GetLifecyclePolicy',
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [stack.getLogicalId(policy.node.defaultChild as any), 'Arn'] },
          }],
        },
        Roles: [{ Ref: Match.stringLikeRegexp('^Reader') }],
      });
      expectValidTemplate(stack);
    });

    test('grant on an imported policy', () => {
      const policy = LifecyclePolicy.fromLifecyclePolicyArn(stack, 'Imported',
        'arn:aws:imagebuilder:us-east-1:123456789012:lifecycle-policy/cleanup');
      const role = new iam.Role(stack, 'Admin', { assumedBy: new iam.AccountRootPrincipal() });
      policy.grant(role, 'imagebuilder:UpdateLifecyclePolicy', 'imagebuilder:DeleteLifecyclePolicy');

      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: [{
            Action: ['imagebuilder:UpdateLifecyclePolicy', 'imagebuilder:DeleteLifecyclePolicy'],
            Effect: 'Allow',
            Resource: 'arn:aws:imagebuilder:us-east-1:123456789012:lifecycle-policy/cleanup',
          }],
        },
      });
      expectValidTemplate(stack);
    });
  });

  describe('validation', () => {
    test('fails with an invalid lifecyclePolicyName', () => {
      expect(() => newPolicy({ lifecyclePolicyName: 'no/slashes' }))
        .toThrow('lifecyclePolicyName must be 3 to 128 characters of letters, numbers, hyphens, underscores and spaces, ' +
          "starting and ending with a letter, number, hyphen or underscore, got 'no/slashes'");
    });

    test('fails with a description over 1,024 characters', () => {
      expect(() => newPolicy({ description: 'x'.repeat(1025) })).toThrow('description must be 1 to 1024 characters, got 1025');
    });

    test.each([
      [{ 'team#1': 'x' }, "tags keys may hold letters, digits, white space and _ . : / = + - @, got 'team#1'"],
      [{ 'aws:owner': 'x' }, "tags keys must be 1 to 128 characters and not start with 'aws:', got 'aws:owner'"],
      [Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])), 'tags must have at most 50 tags, got 51'],
    ])('fails on the policy\'s own tags as on any tag map: %#', (tags, message) => {
      expect(() => newPolicy({ tags })).toThrow(message);
    });

    test('fails without rules or with more than 3', () => {
      expect(() => newPolicy({ rules: [] })).toThrow('rules must have 1 to 3 rules, got 0');
      const four = [DELETE_OLD, { ...DELETE_OLD, action: LifecycleAction.DEPRECATE }, { ...DELETE_OLD, action: LifecycleAction.DISABLE }, DELETE_OLD];
      expect(() => newPolicy({ rules: four }, 'Four')).toThrow('rules must have 1 to 3 rules, got 4');
    });

    test('fails with two rules of the same action', () => {
      expect(() => newPolicy({ rules: [DELETE_OLD, { action: LifecycleAction.DELETE, filter: LifecycleFilter.count(3) }] }))
        .toThrow("rules must have at most one rule per action, got more than one 'DELETE' rule");
    });

    test('fails with a deprecate or disable rule in a container policy', () => {
      expect(() => policyWithRule({ action: LifecycleAction.DEPRECATE }, LifecycleResourceType.CONTAINER_IMAGE))
        .toThrow("rules[0]: action 'DEPRECATE' is only for AMI_IMAGE policies; CONTAINER_IMAGE policies allow only 'DELETE'");
    });

    test('fails with includeAmis or includeSnapshots in a container policy', () => {
      expect(() => policyWithRule({ includeAmis: true }, LifecycleResourceType.CONTAINER_IMAGE))
        .toThrow("rules[0]: includeAmis is only for AMI_IMAGE policies, got resourceType 'CONTAINER_IMAGE'");
      expect(() => policyWithRule({ includeSnapshots: true }, LifecycleResourceType.CONTAINER_IMAGE, 'Snapshots'))
        .toThrow("rules[0]: includeSnapshots is only for AMI_IMAGE policies, got resourceType 'CONTAINER_IMAGE'");
    });

    test('fails with includeContainers in an AMI policy', () => {
      expect(() => policyWithRule({ includeContainers: true }))
        .toThrow("rules[0]: includeContainers is only for CONTAINER_IMAGE policies, got resourceType 'AMI_IMAGE'");
    });

    test('fails with includeSnapshots in a rule that does not delete', () => {
      expect(() => policyWithRule({ action: LifecycleAction.DISABLE, includeAmis: true, includeSnapshots: true }))
        .toThrow("rules[0]: includeSnapshots is only for 'DELETE' rules, got action 'DISABLE'");
    });

    test('fails with includeSnapshots without includeAmis', () => {
      expect(() => policyWithRule({ includeSnapshots: true }))
        .toThrow('rules[0]: includeSnapshots needs includeAmis true (snapshots of AMIs that stay registered cannot be deleted), got includeAmis unset');
    });

    test('fails with retainAtLeast on a count filter', () => {
      expect(() => policyWithRule({ filter: LifecycleFilter.count(5), retainAtLeast: 2 }))
        .toThrow('rules[0]: retainAtLeast is only for age filters (LifecycleFilter.age or ageInUnits), got a count filter');
    });

    test('fails with retainAtLeast outside 1 to 10', () => {
      expect(() => policyWithRule({ retainAtLeast: 11 })).toThrow('rules[0] retainAtLeast must be a whole number from 1 to 10, got 11');
    });

    test('fails with a count outside 1 to 1,000', () => {
      expect(() => policyWithRule({ filter: LifecycleFilter.count(0) })).toThrow('rules[0] filter count must be a whole number from 1 to 1000, got 0');
    });

    test('fails with an age in units outside 1 to 1,000', () => {
      expect(() => policyWithRule({ filter: LifecycleFilter.ageInUnits(1.5, LifecycleTimeUnit.WEEKS) }))
        .toThrow('rules[0] filter age must be a whole number from 1 to 1000, got 1.5');
    });

    test('fails with an age that is not whole days', () => {
      expect(() => policyWithRule({ filter: LifecycleFilter.age(Duration.hours(36)) }))
        .toThrow('rules[0] filter age must be a whole number of days, at least 1, got 1 day 12 hours');
    });

    test('fails with an age beyond 1,000 days that is not whole weeks', () => {
      expect(() => policyWithRule({ filter: LifecycleFilter.age(Duration.days(1002)) }))
        .toThrow('rules[0] filter age must be at most 1000 days, or at most 1000 weeks in whole weeks, got 1002 days');
    });

    test('fails with excludeAmisLaunchedWithin beyond 365 days that is not whole weeks', () => {
      expect(() => policyWithRule({ excludeAmisLaunchedWithin: Duration.days(400) }))
        .toThrow('rules[0] excludeAmisLaunchedWithin must be at most 365 days, or at most 365 weeks in whole weeks, got 400 days');
    });

    test.each([0, 366, 1.5])('fails with an excludeAmisLaunchedWithinSpan of %d months', (value) => {
      expect(() => policyWithRule({ excludeAmisLaunchedWithinSpan: LifecycleTimeSpan.of(value, LifecycleTimeUnit.MONTHS) }))
        .toThrow(`rules[0] excludeAmisLaunchedWithinSpan must be a whole number from 1 to 365, got ${value}`);
    });

    test('fails with both forms of the launch exception', () => {
      expect(() => policyWithRule({
        excludeAmisLaunchedWithin: Duration.days(30),
        excludeAmisLaunchedWithinSpan: LifecycleTimeSpan.of(1, LifecycleTimeUnit.MONTHS),
      })).toThrow('rules[0]: give excludeAmisLaunchedWithin or excludeAmisLaunchedWithinSpan, not both, got both');
    });

    test('fails with a launch span in a container policy', () => {
      expect(() => policyWithRule(
        { excludeAmisLaunchedWithinSpan: LifecycleTimeSpan.of(1, LifecycleTimeUnit.YEARS) }, LifecycleResourceType.CONTAINER_IMAGE))
        .toThrow("rules[0]: excludeAmisLaunchedWithinSpan is only for AMI_IMAGE policies, got resourceType 'CONTAINER_IMAGE'");
    });

    test('AMI exclusions that exclude nothing are accepted in a container policy, which sends none', () => {
      policyWithRule({ excludePublicAmis: false, excludeAmiRegions: [], excludeAmiTags: {} }, LifecycleResourceType.CONTAINER_IMAGE);
      expect(policyProperties().PolicyDetails[0].ExclusionRules).toBeUndefined();
    });

    test('fails with AMI exclusions in a container policy', () => {
      expect(() => policyWithRule({ excludePublicAmis: true, excludeAmiTags: { a: 'b' } }, LifecycleResourceType.CONTAINER_IMAGE))
        .toThrow("rules[0]: excludePublicAmis, excludeAmiTags are only for AMI_IMAGE policies, got resourceType 'CONTAINER_IMAGE'; use excludeImageTags");
    });

    test('fails with an empty excludeAmiSharedAccounts', () => {
      expect(() => policyWithRule({ excludeAmiSharedAccounts: [] }))
        .toThrow('rules[0] excludeAmiSharedAccounts must list 1 to 1536 accounts, got 0; omit it to skip no AMIs for sharing');
    });

    test('fails with an invalid account in excludeAmiSharedAccounts', () => {
      expect(() => policyWithRule({ excludeAmiSharedAccounts: ['1234'] }))
        .toThrow("rules[0] excludeAmiSharedAccounts must be an AWS account ID of exactly 12 digits, e.g. 123456789012, got '1234'");
    });

    test('fails with an invalid region in excludeAmiRegions', () => {
      expect(() => policyWithRule({ excludeAmiRegions: ['Virginia'] }))
        .toThrow("rules[0] excludeAmiRegions must be a region code such as us-east-1, eu-central-2, us-gov-west-1, cn-north-1 or eusc-de-east-1, got 'Virginia'");
    });

    test('fails with exclusion tag keys starting with aws:', () => {
      expect(() => policyWithRule({ excludeImageTags: { 'aws:owner': 'x' } }))
        .toThrow("rules[0] excludeImageTags keys must be 1 to 128 characters and not start with 'aws:', got 'aws:owner'");
    });

    test.each(['excludeImageTags', 'excludeAmiTags'])('fails with %s keys of characters Image Builder refuses', (prop) => {
      expect(() => policyWithRule({ [prop]: { 'team#1': 'x' } }))
        .toThrow(`rules[0] ${prop} keys may hold letters, digits, white space and _ . : / = + - @, got 'team#1'`);
    });

    test('fails with no recipes or more than 50', () => {
      expect(() => newPolicy({ resourceSelection: LifecycleResourceSelection.fromRecipes([]) }))
        .toThrow('resourceSelection must have 1 to 50 recipes, got 0');
      const many = Array.from({ length: 51 }, (_, i) => LifecycleRecipeSelection.fromRecipeName(`recipe-${i}`));
      expect(() => newPolicy({ resourceSelection: LifecycleResourceSelection.fromRecipes(many) }, 'Many'))
        .toThrow('resourceSelection must have 1 to 50 recipes, got 51');
    });

    test('fails with no selection tags', () => {
      expect(() => newPolicy({ resourceSelection: LifecycleResourceSelection.fromTags({}) }))
        .toThrow('resourceSelection must have 1 to 50 tags, got none');
    });

    test('fails with invalid selection tags', () => {
      const tags = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
      expect(() => newPolicy({ resourceSelection: LifecycleResourceSelection.fromTags(tags) }))
        .toThrow('resourceSelection tags must have at most 50 tags, got 51');
    });

    test('fails with selection tag keys of characters Image Builder refuses', () => {
      expect(() => newPolicy({ resourceSelection: LifecycleResourceSelection.fromTags({ 'a,b': 'x' }) }))
        .toThrow("resourceSelection tags keys may hold letters, digits, white space and _ . : / = + - @, got 'a,b'");
    });

    test('accepts eusc-de-east-1 among the excluded AMI regions', () => {
      policyWithRule({ excludeAmiRegions: ['eusc-de-east-1'] });
      Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::LifecyclePolicy', {
        PolicyDetails: [Match.objectLike({ ExclusionRules: { Amis: Match.objectLike({ Regions: ['eusc-de-east-1'] }) } })],
      });
    });

    test('fails with a recipe of the other resource type', () => {
      const recipe = imageRecipe();
      expect(() => newPolicy({
        resourceType: LifecycleResourceType.CONTAINER_IMAGE,
        resourceSelection: LifecycleResourceSelection.fromRecipes([LifecycleRecipeSelection.imageRecipe(recipe)]),
      })).toThrow('resourceSelection: recipe Stack/Recipe from LifecycleRecipeSelection.imageRecipe builds AMI_IMAGE images, ' +
        "but resourceType is 'CONTAINER_IMAGE'; use LifecycleRecipeSelection.containerRecipe or resourceType AMI_IMAGE");
    });

    test('fails with a container recipe in an AMI policy', () => {
      const recipe = containerRecipe();
      expect(() => newPolicy({
        resourceSelection: LifecycleResourceSelection.fromRecipes([LifecycleRecipeSelection.containerRecipe(recipe)]),
      })).toThrow('resourceSelection: recipe Stack/Container from LifecycleRecipeSelection.containerRecipe builds CONTAINER_IMAGE images, ' +
        "but resourceType is 'AMI_IMAGE'; use LifecycleRecipeSelection.imageRecipe or resourceType CONTAINER_IMAGE");
    });

    test('fails with a bad version of a recipe of this app, naming the recipe by its path', () => {
      const recipe = imageRecipe();
      expect(() => newPolicy({ resourceSelection: LifecycleResourceSelection.fromRecipes([LifecycleRecipeSelection.imageRecipe(recipe, '1.x.0')]) }))
        .toThrow('resourceSelection recipe Stack/Recipe version must be major.minor.patch with numbers or trailing x wildcards ' +
          "(e.g. 1.2.x, x.x.x); every node after the first x must be x too, got '1.x.0'");
    });

    test('fails with a recipe version that is not a trailing wildcard version', () => {
      expect(() => newPolicy({ resourceSelection: LifecycleResourceSelection.fromRecipes([LifecycleRecipeSelection.fromRecipeName('my-recipe', '1.x.0')]) }))
        .toThrow("resourceSelection recipe 'my-recipe' version must be major.minor.patch with numbers or trailing x wildcards " +
          "(e.g. 1.2.x, x.x.x); every node after the first x must be x too, got '1.x.0'");
    });

    test('fails with an invalid recipe name', () => {
      expect(() => newPolicy({ resourceSelection: LifecycleResourceSelection.fromRecipes([LifecycleRecipeSelection.fromRecipeName('a')]) }))
        .toThrow(/resourceSelection recipe name must be 3 to 128 characters .*, got 'a'/);
    });
  });
});
