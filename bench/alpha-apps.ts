/**
 * The reference the L2/L1 target is set against: the same N AMI pipelines written with the official
 * `@aws-cdk/aws-imagebuilder-alpha` module, and the same resources written with L1s at the alpha's
 * construct paths, so that both apps synthesize the same template.
 */
import * as alpha from '@aws-cdk/aws-imagebuilder-alpha';
import { Aws, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as imagebuilder from 'aws-cdk-lib/aws-imagebuilder';
import { Construct } from 'constructs';
import {
  AddPipeline, amiName, componentYaml, INSTANCE_MANAGED_POLICIES, PARENT_IMAGE_PARAMETER, SCHEDULE, uniqueName,
} from './pipeline-apps';

/** One pipeline with the alpha module, every optional prop left to its default. */
export const addAlphaPipeline: AddPipeline = (stack, i) => {
  const component = new alpha.Component(stack, `Component${i}`, {
    platform: alpha.Platform.LINUX,
    data: alpha.ComponentData.fromInline(componentYaml(i)),
  });
  const recipe = new alpha.ImageRecipe(stack, `Recipe${i}`, {
    baseImage: alpha.BaseImage.fromSsmParameterName(PARENT_IMAGE_PARAMETER),
    components: [{ component }],
  });
  new alpha.ImagePipeline(stack, `Pipeline${i}`, {
    recipe,
    infrastructureConfiguration: new alpha.InfrastructureConfiguration(stack, `Infrastructure${i}`),
    distributionConfiguration: new alpha.DistributionConfiguration(stack, `Distribution${i}`, {
      amiDistributions: [{ amiName: amiName(i) }],
    }),
    schedule: { expression: events.Schedule.cron({ minute: '0', hour: '4', weekDay: 'MON' }) },
  });
};

/** What the alpha app synthesizes, written with L1s: the alpha's defaults differ a little from this library's. */
export const addAlphaL1Pipeline: AddPipeline = (stack, i) => {
  const componentScope = new Construct(stack, `Component${i}`);
  const component = new imagebuilder.CfnComponent(componentScope, 'Resource', {
    name: uniqueName(componentScope).toLowerCase(),
    version: '1.0.0',
    platform: 'Linux',
    data: componentYaml(i),
  });

  const recipeScope = new Construct(stack, `Recipe${i}`);
  const recipe = new imagebuilder.CfnImageRecipe(recipeScope, 'Resource', {
    name: uniqueName(recipeScope).toLowerCase(),
    version: '1.0.x',
    parentImage: `ssm:${PARENT_IMAGE_PARAMETER}`,
    components: [{ componentArn: component.attrArn }],
  });

  const infrastructureScope = new Construct(stack, `Infrastructure${i}`);
  const role = new iam.CfnRole(new Construct(infrastructureScope, 'InstanceProfileRole'), 'Resource', {
    assumeRolePolicyDocument: {
      Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' } }],
      Version: '2012-10-17',
    },
    managedPolicyArns: INSTANCE_MANAGED_POLICIES.map((policy) => `arn:${Aws.PARTITION}:iam::aws:policy/${policy}`),
  });
  const instanceProfile = new iam.CfnInstanceProfile(new Construct(infrastructureScope, 'InstanceProfile'), 'Resource', {
    roles: [role.ref],
  });
  const infrastructure = new imagebuilder.CfnInfrastructureConfiguration(infrastructureScope, 'Resource', {
    name: uniqueName(infrastructureScope).toLowerCase(),
    instanceProfileName: instanceProfile.ref,
    instanceMetadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 2 },
  });

  const distributionScope = new Construct(stack, `Distribution${i}`);
  const distribution = new imagebuilder.CfnDistributionConfiguration(distributionScope, 'Resource', {
    name: uniqueName(distributionScope).toLowerCase(),
    distributions: [{ region: Stack.of(stack).region, amiDistributionConfiguration: { Name: amiName(i) } }],
  });

  const pipelineScope = new Construct(stack, `Pipeline${i}`);
  new imagebuilder.CfnImagePipeline(pipelineScope, 'Resource', {
    name: uniqueName(pipelineScope).toLowerCase(),
    imageRecipeArn: recipe.attrArn,
    infrastructureConfigurationArn: infrastructure.attrArn,
    distributionConfigurationArn: distribution.attrArn,
    schedule: { scheduleExpression: SCHEDULE },
  });
};
