import { App, Duration, InjectionContext, IPropertyInjector, PropertyInjectors, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Construct } from 'constructs';
import {
  Component, ComponentData, ContainerImagePipeline, ContainerParentImage, ContainerRecipe, DistributionConfiguration, GoldenAmiPipeline, Image,
  ImagePipeline, ImageRecipe, InfrastructureConfiguration, LifecycleAction, LifecycleFilter, LifecyclePolicy, LifecycleResourceSelection,
  LifecycleResourceType, ParentImage, PipelineExecution, Platform, Workflow, WorkflowData, WorkflowType,
} from '../src';

const ENV = { account: '123456789012', region: 'us-east-1' };
const COMPONENT_YAML = 'name: hello\nschemaVersion: 1.0\nphases:\n  - name: build\n    steps:\n      - name: Hello\n        action: ExecuteBash\n        inputs:\n          commands:\n            - echo hello\n';
const WORKFLOW_YAML = 'name: build\nschemaVersion: 1.0\nsteps:\n  - name: Launch\n    action: LaunchInstance\n';

/** Passes the props on unchanged and remembers each call. */
class RecordingInjector implements IPropertyInjector {
  public readonly calls: Array<{ id: string; props: any }> = [];
  public constructor(public readonly constructUniqueId: string) {}
  public inject(originalProps: any, context: InjectionContext): any {
    this.calls.push({ id: context.id, props: originalProps });
    return originalProps;
  }
}

/** Adds `defaults` under the props given. */
class DefaultsInjector implements IPropertyInjector {
  public constructor(public readonly constructUniqueId: string, private readonly defaults: object) {}
  public inject(originalProps: any): any {
    return { ...this.defaults, ...originalProps };
  }
}

let app: App;
let stack: Stack;

beforeEach(() => {
  app = new App();
  stack = new Stack(app, 'Stack', { env: ENV });
});

function recipe(scope: Construct, id: string): ImageRecipe {
  return new ImageRecipe(scope, id, {
    parentImage: ParentImage.fromAmiId('ami-0123456789abcdef0', { platform: Platform.LINUX }),
    components: [{ component: new Component(scope, `${id}Component`, { platform: Platform.LINUX, data: ComponentData.fromInline(COMPONENT_YAML) }) }],
  });
}

/** Each injectable class with props that build it; every one gets the props as given. */
const CONSTRUCTIONS: Array<[string, (scope: Construct) => object]> = [
  ['Component', (scope) => {
    const props = { platform: Platform.LINUX, data: ComponentData.fromInline(COMPONENT_YAML) };
    new Component(scope, 'Subject', props);
    return props;
  }],
  ['ImageRecipe', (scope) => {
    const props = { parentImage: ParentImage.fromAmiId('ami-0123456789abcdef0', { platform: Platform.LINUX }) };
    new ImageRecipe(scope, 'Subject', props);
    return props;
  }],
  ['ContainerRecipe', (scope) => {
    const props = {
      parentImage: ContainerParentImage.fromDockerHub('amazonlinux', { tag: '2023' }),
      targetRepository: new ecr.Repository(scope, 'Repository'),
      components: [{ component: new Component(scope, 'Tools', { platform: Platform.LINUX, data: ComponentData.fromInline(COMPONENT_YAML) }) }],
    };
    new ContainerRecipe(scope, 'Subject', props);
    return props;
  }],
  ['InfrastructureConfiguration', (scope) => {
    new InfrastructureConfiguration(scope, 'Subject');
    return {};
  }],
  ['DistributionConfiguration', (scope) => {
    const props = { amiDistributions: [{ amiName: 'golden-{{ imagebuilder:buildDate }}' }] };
    new DistributionConfiguration(scope, 'Subject', props);
    return props;
  }],
  ['ImagePipeline', (scope) => {
    const props = { imageRecipe: recipe(scope, 'Recipe') };
    new ImagePipeline(scope, 'Subject', props);
    return props;
  }],
  ['Image', (scope) => {
    const props = { imageRecipe: recipe(scope, 'Recipe') };
    new Image(scope, 'Subject', props);
    return props;
  }],
  ['Workflow', (scope) => {
    const props = { workflowType: WorkflowType.BUILD, data: WorkflowData.fromInline(WORKFLOW_YAML) };
    new Workflow(scope, 'Subject', props);
    return props;
  }],
  ['LifecyclePolicy', (scope) => {
    const props = {
      resourceType: LifecycleResourceType.AMI_IMAGE,
      resourceSelection: LifecycleResourceSelection.fromTags({ team: 'platform' }),
      rules: [{ action: LifecycleAction.DELETE, filter: LifecycleFilter.age(Duration.days(90)) }],
    };
    new LifecyclePolicy(scope, 'Subject', props);
    return props;
  }],
  ['PipelineExecution', (scope) => {
    const props = { pipeline: ImagePipeline.fromImagePipelineName(scope, 'Nightly', 'nightly') };
    new PipelineExecution(scope, 'Subject', props);
    return props;
  }],
  ['GoldenAmiPipeline', (scope) => {
    const props = { shellScript: 'echo hello' };
    new GoldenAmiPipeline(scope, 'Subject', props);
    return props;
  }],
  ['ContainerImagePipeline', (scope) => {
    const props = { shellScript: 'echo hello' };
    new ContainerImagePipeline(scope, 'Subject', props);
    return props;
  }],
];

const CLASSES: Record<string, { PROPERTY_INJECTION_ID: string }> = {
  Component,
  ImageRecipe,
  ContainerRecipe,
  InfrastructureConfiguration,
  DistributionConfiguration,
  ImagePipeline,
  Image,
  Workflow,
  LifecyclePolicy,
  PipelineExecution,
  GoldenAmiPipeline,
  ContainerImagePipeline,
};

describe('property injection', () => {
  test.each(CONSTRUCTIONS)('%s hands its props to the injector registered for its PROPERTY_INJECTION_ID', (name, construct) => {
    const uniqueId = CLASSES[name].PROPERTY_INJECTION_ID;
    expect(uniqueId).toBe(`cdk-imagebuilder.${name}`);
    const injector = new RecordingInjector(uniqueId);
    PropertyInjectors.of(app).add(injector);

    const given = construct(stack);

    expect(injector.calls.map((call) => call.id)).toEqual(['Subject']);
    expect(injector.calls[0].props).toEqual(given);
  });

  test('every injection ID is its own', () => {
    const ids = Object.values(CLASSES).map((cls) => cls.PROPERTY_INJECTION_ID);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('defaults injected for a class apply to every construct of it, under the props given', () => {
    const injectingApp = new App({
      propertyInjectors: [new DefaultsInjector(InfrastructureConfiguration.PROPERTY_INJECTION_ID, {
        instanceTypes: [new ec2.InstanceType('m7i.large')],
        terminateInstanceOnFailure: false,
      })],
    });
    const injected = new Stack(injectingApp, 'Stack', { env: ENV });
    new InfrastructureConfiguration(injected, 'Defaults');
    new InfrastructureConfiguration(injected, 'Given', { instanceTypes: [new ec2.InstanceType('c7i.xlarge')] });

    const configurations = Object.values(Template.fromStack(injected).findResources('AWS::ImageBuilder::InfrastructureConfiguration'))
      .map((resource: any) => [resource.Properties.InstanceTypes, resource.Properties.TerminateInstanceOnFailure]);
    expect(configurations).toEqual([[['m7i.large'], false], [['c7i.xlarge'], false]]);
  });

  test('the injector of the nearest scope applies', () => {
    PropertyInjectors.of(app).add(new DefaultsInjector(Component.PROPERTY_INJECTION_ID, { description: 'from the app' }));
    const team = new Construct(stack, 'Team');
    PropertyInjectors.of(team).add(new DefaultsInjector(Component.PROPERTY_INJECTION_ID, { description: 'from the team' }));
    new Component(stack, 'Outside', { platform: Platform.LINUX, data: ComponentData.fromInline(COMPONENT_YAML) });
    new Component(team, 'Inside', { platform: Platform.LINUX, data: ComponentData.fromInline(COMPONENT_YAML) });

    const descriptions = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::Component'))
      .map((resource: any) => resource.Properties.Description);
    expect(descriptions.sort()).toEqual(['from the app', 'from the team']);
  });

  test('injected props are validated like given ones', () => {
    PropertyInjectors.of(app).add(new DefaultsInjector(GoldenAmiPipeline.PROPERTY_INJECTION_ID, { keepImages: 0 }));
    expect(() => new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo' }))
      .toThrow('keepImages must be a whole number from 1 to 1000, got 0');
  });

  test('asking about injectors attaches none to the scopes on the way', () => {
    new Component(stack, 'Plain', { platform: Platform.LINUX, data: ComponentData.fromInline(COMPONENT_YAML) });
    expect(PropertyInjectors.hasPropertyInjectors(stack)).toBe(false);
  });
});
