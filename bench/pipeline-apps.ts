/**
 * The apps the L2 versus L1 benchmark compares: N AMI pipelines written with this library, with
 * aws-cdk-lib's `Cfn*` classes, and as a skeleton of L2s that only wrap those same L1s.
 */
import { Aws, Names, Resource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as imagebuilder from 'aws-cdk-lib/aws-imagebuilder';
import { Construct } from 'constructs';
import {
  Component, ComponentData, DistributionConfiguration, ImagePipeline, ImageRecipe, InfrastructureConfiguration,
  ParentImage, PipelineSchedule, Platform,
} from '../src';

export const PARENT_IMAGE_PARAMETER = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64';
const COMPONENT_VERSION = '1.0.0';
const RECIPE_VERSION = '1.0.x';
export const SCHEDULE = 'cron(0 4 ? * MON *)';
export const INSTANCE_MANAGED_POLICIES = ['AmazonSSMManagedInstanceCore', 'EC2InstanceProfileForImageBuilder'];

/** Adds pipeline number `i` (component, recipe, infrastructure, distribution, pipeline) to `stack`. */
export type AddPipeline = (stack: Stack, i: number) => void;

/** A small valid AWSTOE document; the pipeline number makes each component's content its own. */
export function componentYaml(i: number): string {
  return [
    `name: Hello${i}`,
    'description: Says hello and checks the working directory',
    'schemaVersion: 1.0',
    'phases:',
    '  - name: build',
    '    steps:',
    '      - name: Hello',
    '        action: ExecuteBash',
    '        inputs:',
    '          commands:',
    `            - echo "hello from pipeline ${i}"`,
    '  - name: validate',
    '    steps:',
    '      - name: CheckTmp',
    '        action: ExecuteBash',
    '        inputs:',
    '          commands:',
    '            - test -d /tmp',
    '',
  ].join('\n');
}

export const amiName = (i: number) => `pipeline-${i}-{{ imagebuilder:buildDate }}`;

/** One pipeline with this library, every optional prop left to its default. */
export const addL2Pipeline: AddPipeline = (stack, i) => {
  const component = new Component(stack, `Component${i}`, {
    platform: Platform.LINUX,
    data: ComponentData.fromInline(componentYaml(i)),
  });
  const recipe = new ImageRecipe(stack, `Recipe${i}`, {
    parentImage: ParentImage.fromSsmParameterName(PARENT_IMAGE_PARAMETER, { platform: Platform.LINUX }),
    components: [{ component }],
  });
  new ImagePipeline(stack, `Pipeline${i}`, {
    imageRecipe: recipe,
    infrastructureConfiguration: new InfrastructureConfiguration(stack, `Infrastructure${i}`),
    distributionConfiguration: new DistributionConfiguration(stack, `Distribution${i}`, {
      amiDistributions: [{ amiName: amiName(i) }],
    }),
    schedule: PipelineSchedule.cron({ hour: '4', weekDay: 'MON' }),
  });
};

/**
 * The library's default names: unique in the app, lowercase. The L1 app computes the same names
 * so that both templates hold the same strings.
 */
export function uniqueName(scope: Construct, maxLength = 128): string {
  return Names.uniqueResourceName(scope, { maxLength, separator: '-', allowedSpecialCharacters: '-' });
}

/**
 * How a written-out pipeline wraps its L1s: the construct each resource sits in, and how the
 * instance role and instance profile are made (returning the profile's Ref).
 */
interface Wrapping {
  scope(stack: Stack, id: string): Construct;
  instanceProfile(scope: Construct): string;
}

/**
 * The same pipeline with L1s: the resources, properties and values that the L2 app synthesizes,
 * including the instance role and instance profile that InfrastructureConfiguration creates and
 * the properties ImagePipeline sets to their defaults. The L1s sit at the construct paths of the
 * L2 app (`Component0/Resource`, `Infrastructure0/InstanceRole/Resource`, ...), so logical IDs and
 * generated names are the same strings and the templates differ only where the constructs do.
 * (The L2 instance role's cdk-nag suppression is read by cdk-nag in the app and not written to the
 * template.)
 */
export const addL1Pipeline: AddPipeline = (stack, i) => addWrittenOutPipeline(stack, i, {
  scope: (parent, id) => new Construct(parent, id),
  instanceProfile: (scope) => {
    const role = new iam.CfnRole(new Construct(scope, 'InstanceRole'), 'Resource', {
      assumeRolePolicyDocument: {
        Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' } }],
        Version: '2012-10-17',
      },
      description: INSTANCE_ROLE_DESCRIPTION,
      managedPolicyArns: INSTANCE_MANAGED_POLICIES.map((policy) => `arn:${Aws.PARTITION}:iam::aws:policy/${policy}`),
    });
    return new iam.CfnInstanceProfile(new Construct(scope, 'InstanceProfile'), 'Resource', {
      instanceProfileName: instanceProfileName(scope),
      roles: [role.ref],
    }).ref;
  },
});

/** An aws-cdk-lib `Resource` that only holds its L1: what any L2 costs before it does anything. */
class SkeletonResource extends Resource {}

/**
 * The same L1s, each inside a bare L2 (`Resource`), with the instance role and profile made by
 * aws-cdk-lib's `iam.Role` and `iam.InstanceProfile`: no validation, no defaults worked out. It
 * shows what aws-cdk-lib's L2 machinery alone costs over plain L1s on this machine; this library's
 * own work is what its L2 app costs beyond the skeleton.
 */
export const addSkeletonPipeline: AddPipeline = (stack, i) => addWrittenOutPipeline(stack, i, {
  scope: (parent, id) => new SkeletonResource(parent, id),
  instanceProfile: (scope) => {
    const role = new iam.Role(scope, 'InstanceRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: INSTANCE_ROLE_DESCRIPTION,
      managedPolicies: INSTANCE_MANAGED_POLICIES.map((policy) => iam.ManagedPolicy.fromAwsManagedPolicyName(policy)),
    });
    const instanceProfile = new iam.InstanceProfile(scope, 'InstanceProfile', { role, instanceProfileName: instanceProfileName(scope) });
    return (instanceProfile.node.defaultChild as iam.CfnInstanceProfile).ref;
  },
});

const INSTANCE_ROLE_DESCRIPTION = 'EC2 Image Builder build and test instances';

/** Instance profile names are global to the account: the region keeps two deployments apart. */
function instanceProfileName(scope: Construct): string {
  return `${uniqueName(scope, 108)}-${Stack.of(scope).region}`;
}

/** One pipeline written out resource by resource, each in the construct that `wrapping` makes. */
function addWrittenOutPipeline(stack: Stack, i: number, wrapping: Wrapping): void {
  const componentScope = wrapping.scope(stack, `Component${i}`);
  const component = new imagebuilder.CfnComponent(componentScope, 'Resource', {
    name: uniqueName(componentScope).toLowerCase(),
    version: COMPONENT_VERSION,
    platform: 'Linux',
    data: componentYaml(i),
  });

  // The component's version ARN, so that a changed document (a new build) does not replace the recipe.
  const componentArn = stack.formatArn({
    service: 'imagebuilder', resource: 'component', resourceName: `${component.attrName}/${COMPONENT_VERSION}`,
  });
  const recipeScope = wrapping.scope(stack, `Recipe${i}`);
  const recipe = new imagebuilder.CfnImageRecipe(recipeScope, 'Resource', {
    name: uniqueName(recipeScope).toLowerCase(),
    version: RECIPE_VERSION,
    parentImage: `ssm:${PARENT_IMAGE_PARAMETER}`,
    components: [{ componentArn }],
  });

  // IMDSv2 required, as the library's secure default.
  const infrastructureScope = wrapping.scope(stack, `Infrastructure${i}`);
  const infrastructure = new imagebuilder.CfnInfrastructureConfiguration(infrastructureScope, 'Resource', {
    name: uniqueName(infrastructureScope).toLowerCase(),
    instanceProfileName: wrapping.instanceProfile(infrastructureScope),
    instanceMetadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 2 },
    terminateInstanceOnFailure: true,
  });

  const distributionScope = wrapping.scope(stack, `Distribution${i}`);
  const distribution = new imagebuilder.CfnDistributionConfiguration(distributionScope, 'Resource', {
    name: uniqueName(distributionScope).toLowerCase(),
    distributions: [{ region: stack.region, amiDistributionConfiguration: { Name: amiName(i) } }],
  });

  const pipelineScope = wrapping.scope(stack, `Pipeline${i}`);
  new imagebuilder.CfnImagePipeline(pipelineScope, 'Resource', {
    name: uniqueName(pipelineScope).toLowerCase(),
    imageRecipeArn: recipe.attrArn,
    infrastructureConfigurationArn: infrastructure.attrArn,
    distributionConfigurationArn: distribution.attrArn,
    schedule: { scheduleExpression: SCHEDULE, pipelineExecutionStartCondition: 'EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE' },
    imageTestsConfiguration: { imageTestsEnabled: true },
    imageScanningConfiguration: { imageScanningEnabled: false },
    enhancedImageMetadataEnabled: true,
  });
}
